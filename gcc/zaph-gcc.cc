// The GCC plugin: registers the `annotate` attribute (include/zaph.h's macros), finds the
// annotated functions of a translation unit, emits the same op table, module descriptor and
// constructor as pass/ZaphPass.cpp, and counts each entry with include/zaph_abi.h's hot path,
// inserted right after GIMPLE's `ssa` pass, before any inlining. docs/design.md has the why.
#include "annotation.h"

#include <algorithm>
#include <cxxabi.h>
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "gcc-plugin.h"
#include "plugin-version.h"

#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfghooks.h"
#include "cfgloop.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimplify.h"
#include "tm.h"
#include "ssa.h"
#include "tree-into-ssa.h"
#include "cgraph.h"
#include "opts.h"
#include "toplev.h"
#include "stringpool.h"
#include "attribs.h"
#include "diagnostic.h"
#include "stor-layout.h"
#include "varasm.h"
#include "fold-const.h"

__attribute__((visibility("default"))) int plugin_is_GPL_compatible; // zaph is MIT-licensed (LICENSE, README "Licence")

namespace {

using zaph_gcc::isZaphAnnotation;
using zaph_gcc::parseAnnotation;

struct Op {
  tree Decl;
  std::string Name, File;
  unsigned Line, Kind, Tier;
};

// The module being built: filled by the IPA pass, read by the counting pass.
struct ModuleState {
  std::vector<Op> Ops;
  std::map<tree, unsigned> Index; // function decl -> op index
  tree Module = NULL_TREE, ModuleType = NULL_TREE;
  tree BaseField = NULL_TREE, EpochOffsetField = NULL_TREE, SharedField = NULL_TREE;
  tree Counters = NULL_TREE, ExeEpoch = NULL_TREE, Tls = NULL_TREE;
  tree EnterSlow = NULL_TREE, EnterShared = NULL_TREE, RequestEnter = NULL_TREE;
} State;

// The trees above live from the IPA pass to the last counted function, across garbage
// collections: they are roots (PLUGIN_REGISTER_GGC_ROOTS).
#define ZAPH_ROOT(Field)                                                                          \
  { &State.Field, 1, sizeof(tree), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node }
const ggc_root_tab StateRoots[] = {
    ZAPH_ROOT(Module),   ZAPH_ROOT(ModuleType),       ZAPH_ROOT(BaseField),
    ZAPH_ROOT(EpochOffsetField), ZAPH_ROOT(SharedField), ZAPH_ROOT(Counters),
    ZAPH_ROOT(ExeEpoch), ZAPH_ROOT(Tls),              ZAPH_ROOT(EnterSlow),
    ZAPH_ROOT(EnterShared), ZAPH_ROOT(RequestEnter),  LAST_GGC_ROOT_TAB};
#undef ZAPH_ROOT

std::string annotationText(tree Attr) {
  tree Args = TREE_VALUE(Attr);
  if (!Args || TREE_CODE(TREE_VALUE(Args)) != STRING_CST)
    return "";
  return TREE_STRING_POINTER(TREE_VALUE(Args));
}

// Ops that were declared const or pure, for the warning the IPA pass gives.
std::set<tree> WasConstOrPure;

// A function whose calls GCC may merge or drop (const, pure) loses counts: an op is neither.
// GCC folds by these flags while it parses, so they are cleared as soon as the annotation and
// the attribute meet, in either order.
void clearConstPure(tree Decl) {
  if (TREE_READONLY(Decl) || DECL_PURE_P(Decl))
    WasConstOrPure.insert(Decl);
  TREE_READONLY(Decl) = 0;
  DECL_PURE_P(Decl) = 0;
}

bool hasZaphAnnotation(tree Decl) {
  for (tree A = lookup_attribute("annotate", DECL_ATTRIBUTES(Decl)); A;
       A = lookup_attribute("annotate", TREE_CHAIN(A))) {
    unsigned Kind, Tier;
    std::string Text = annotationText(A);
    if (isZaphAnnotation(Text) && parseAnnotation(Text, Kind, Tier).empty())
      return true;
  }
  return false;
}

std::string fileAndLine(location_t Loc) {
  expanded_location At = expand_location(Loc);
  return std::string(At.file ? At.file : "?") + ":" + std::to_string(At.line);
}

// The first tier declared for each function (by scope, name and type: a prototype and its
// definition are two declarations until GCC merges them), and whether it was contradicted.
struct DeclaredTier {
  unsigned Tier;
  location_t Where;
  bool Conflict;
};
std::map<std::tuple<tree, tree, tree>, DeclaredTier> DeclaredTiers;

// Two annotations that declare different tiers: the op is counted with none (the IPA pass
// sees both annotations once GCC has merged the declarations).
void checkTier(tree Decl, unsigned Tier, location_t Loc) {
  tree Type = TREE_TYPE(Decl);
  auto Key = std::make_tuple(DECL_CONTEXT(Decl), DECL_NAME(Decl),
                             TYPE_CANONICAL(Type) ? TYPE_CANONICAL(Type) : Type);
  auto Found = DeclaredTiers.find(Key);
  if (Found == DeclaredTiers.end()) {
    DeclaredTiers[Key] = {Tier, Loc, false};
    return;
  }
  DeclaredTier &First = Found->second;
  if (First.Tier == Tier || First.Conflict)
    return;
  First.Conflict = true;
  warning_at(Loc, 0,
             "zaph: '%s' declares two tiers, %u (%s) and %u (%s): it is counted with no "
             "declared tier",
             IDENTIFIER_POINTER(DECL_NAME(Decl)), First.Tier, fileAndLine(First.Where).c_str(),
             Tier, fileAndLine(Loc).c_str());
}

// annotate("..."): one string. A zaph annotation is checked here, where GCC still knows its
// place in the source; its mistakes are errors, as with clang.
tree handleAnnotate(tree *Node, tree, tree Args, int, bool *NoAdd) {
  if (!Args || TREE_CODE(TREE_VALUE(Args)) != STRING_CST) {
    error("%<annotate%> takes one string");
    *NoAdd = true;
    return NULL_TREE;
  }
  tree Decl = *Node;
  const std::string Text = TREE_STRING_POINTER(TREE_VALUE(Args));
  const location_t Loc = DECL_P(Decl) ? DECL_SOURCE_LOCATION(Decl) : input_location;
  if (!isZaphAnnotation(Text)) {
    std::string Meant = zaph_gcc::misspeltZaphAnnotation(Text);
    if (!Meant.empty())
      warning_at(Loc, 0, "zaph: '%s' is not a zaph annotation and is ignored: did you mean '%s'?",
                 Text.c_str(), zaph_gcc::meantAnnotation(Meant).c_str());
    return NULL_TREE;
  }
  unsigned Kind, Tier;
  std::string Problem = parseAnnotation(Text, Kind, Tier);
  if (!Problem.empty()) {
    error_at(Loc, "zaph: %s", Problem.c_str());
    *NoAdd = true;
    return NULL_TREE;
  }
  if (TREE_CODE(Decl) == VAR_DECL) {
    if (current_function_decl && !TREE_STATIC(Decl))
      warning_at(Loc, 0, "zaph: '%s' on a local variable is ignored: only functions can be ops",
                 Text.c_str());
    else
      warning_at(Loc, 0, "zaph: '%s' on variable '%s' is ignored: only functions can be ops",
                 Text.c_str(), IDENTIFIER_POINTER(DECL_NAME(Decl)));
    return NULL_TREE;
  }
  if (TREE_CODE(Decl) == FUNCTION_DECL) {
    clearConstPure(Decl);
    if (Tier)
      checkTier(Decl, Tier, Loc);
  }
  return NULL_TREE;
}

const attribute_spec AnnotateAttribute = {"annotate", 1, 1, false, false, false, false,
                                          handleAnnotate, NULL};

void registerAttributes(void *, void *) { register_attribute(&AnnotateAttribute); }

// `const` after the annotation, in the same declaration or a later one: cleared at the end of
// a declaration and at the end of a definition's body (before any later code calls it).
void finishDecl(void *GccData, void *) {
  tree Decl = (tree)GccData;
  if (!Decl || TREE_CODE(Decl) != FUNCTION_DECL || !hasZaphAnnotation(Decl))
    return;
  clearConstPure(Decl);
}

// A definition, before GCC lowers it: reported here, where a unit with errors still gets it.
void finishDefinition(void *GccData, void *) {
  tree Decl = (tree)GccData;
  if (!Decl || TREE_CODE(Decl) != FUNCTION_DECL || !hasZaphAnnotation(Decl))
    return;
  clearConstPure(Decl);
  if (lookup_attribute("naked", DECL_ATTRIBUTES(Decl)))
    warning_at(DECL_SOURCE_LOCATION(Decl), 0,
               "zaph: cannot count naked function '%s': it has no prologue",
               IDENTIFIER_POINTER(DECL_NAME(Decl)));
}

// An annotation on a function that has no definition in this unit counts nothing here. Run as
// the IPA passes start, before free_lang_data simplifies the declarations for LTO.
void reportDeclaredOnly(void *, void *) {
  if (in_lto_p)
    return;
  cgraph_node *Node;
  FOR_EACH_FUNCTION(Node) {
    tree Decl = Node->decl;
    if (Node->definition || TREE_STATIC(Decl) || !DECL_EXTERNAL(Decl))
      continue;
    for (tree A = lookup_attribute("annotate", DECL_ATTRIBUTES(Decl)); A;
         A = lookup_attribute("annotate", TREE_CHAIN(A))) {
      std::string Text = annotationText(A);
      if (isZaphAnnotation(Text))
        warning_at(DECL_SOURCE_LOCATION(Decl), 0,
                   "zaph: '%s' on '%s', which has no definition here, is ignored: annotate "
                   "the definition",
                   Text.c_str(), IDENTIFIER_POINTER(DECL_NAME(Decl)));
    }
  }
}

// The op's name as clang's pass gives it: the symbol, demangled for C++.
std::string displayName(tree Decl) {
  const char *Symbol = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(Decl));
  if (Symbol[0] == '*')
    Symbol++;
  if (strncmp(Symbol, "_Z", 2) == 0)
    if (char *Demangled = abi::__cxa_demangle(Symbol, NULL, NULL, NULL)) {
      std::string Name = Demangled;
      free(Demangled);
      return Name;
    }
  return Symbol;
}

bool startsWith(const std::string &S, const std::string &Prefix) {
  return S.compare(0, Prefix.size(), Prefix) == 0;
}

// Whether File was found in a directory named by -I or -iquote (then both compilers name it
// by that directory).
bool inIncludeDirectory(const std::string &File) {
  for (unsigned I = 0; I < save_decoded_options_count; I++) {
    const cl_decoded_option &O = save_decoded_options[I];
    if ((O.opt_index != OPT_I && O.opt_index != OPT_iquote) || !O.arg)
      continue;
    std::string Dir = O.arg;
    while (Dir.size() > 1 && Dir.back() == '/')
      Dir.pop_back();
    if (startsWith(File, Dir + "/"))
      return true;
  }
  return false;
}

// The file of Loc as clang presumes it: as GCC's, except that a file #included "..." from a
// file in the working directory is "./name" to clang (the includer's directory, ".", joined
// to the name) and "name" to GCC.
std::string presumedFile(location_t Loc) {
  const line_map_ordinary *Map = NULL;
  Loc = linemap_resolve_location(line_table, Loc, LRK_MACRO_EXPANSION_POINT, &Map);
  const char *Name = Map ? ORDINARY_MAP_FILE_NAME(Map) : expand_location(Loc).file;
  std::string File = Name ? Name : "";
  const line_map_ordinary *Includer = Map ? linemap_included_from_linemap(line_table, Map) : NULL;
  if (!Includer || File.empty() || File[0] == '/' || startsWith(File, "./") ||
      inIncludeDirectory(File))
    return File;
  const std::string IncluderName = ORDINARY_MAP_FILE_NAME(Includer);
  return IncluderName.find('/') == std::string::npos ? "./" + File : File;
}

// A C++ constructor or destructor variant that only calls another variant of the same op
// (deleting -> complete -> base-object) is left out, so one construction is one entry.
bool delegates(cgraph_node *Node, const std::vector<Op> &Ops, const Op &O) {
  for (cgraph_edge *E = Node->callees; E; E = E->next_callee) {
    tree Callee = E->callee->ultimate_alias_target()->decl;
    if (Callee == O.Decl)
      continue;
    for (const Op &Other : Ops)
      if (Other.Decl == Callee && Other.Name == O.Name && Other.File == O.File &&
          Other.Line == O.Line)
        return true;
  }
  return false;
}

// The assembler names of the translation unit's ifunc resolvers. The dynamic loader calls them
// while it relocates the program or library, before the runtime can be relied on.
std::set<std::string> ifuncResolvers() {
  std::set<std::string> Resolvers;
  cgraph_node *Node;
  FOR_EACH_FUNCTION(Node)
    if (tree Ifunc = lookup_attribute("ifunc", DECL_ATTRIBUTES(Node->decl)))
      if (TREE_VALUE(Ifunc) && TREE_CODE(TREE_VALUE(TREE_VALUE(Ifunc))) == STRING_CST)
        Resolvers.insert(TREE_STRING_POINTER(TREE_VALUE(TREE_VALUE(Ifunc))));
  return Resolvers;
}

std::vector<Op> collectOps() {
  std::vector<Op> Ops;
  const std::set<std::string> Resolvers = ifuncResolvers();
  cgraph_node *Node;
  FOR_EACH_DEFINED_FUNCTION(Node) {
    tree Decl = Node->decl;
    if (Node->alias || Node->thunk || !gimple_has_body_p(Decl))
      continue;
    Op O = {Decl, "", "", 0, 0, 0};
    bool Annotated = false, TierConflict = false;
    for (tree A = lookup_attribute("annotate", DECL_ATTRIBUTES(Decl)); A;
         A = lookup_attribute("annotate", TREE_CHAIN(A))) {
      unsigned Kind, Tier;
      std::string Text = annotationText(A);
      if (!isZaphAnnotation(Text) || !parseAnnotation(Text, Kind, Tier).empty())
        continue;
      Annotated = true;
      if (Kind == ZAPH_KIND_REQUEST)
        O.Kind = Kind;
      if (Tier && O.Tier && Tier != O.Tier)
        TierConflict = true;
      if (Tier)
        O.Tier = Tier;
    }
    if (!Annotated)
      continue;
    expanded_location At = expand_location(DECL_SOURCE_LOCATION(Decl));
    O.Name = displayName(Decl);
    O.File = presumedFile(DECL_SOURCE_LOCATION(Decl));
    O.Line = unsigned(At.line);
    if (!O.Kind)
      O.Kind = ZAPH_KIND_OP;
    if (TierConflict) // reported by checkTier
      O.Tier = 0;
    if (lookup_attribute("naked", DECL_ATTRIBUTES(Decl))) // reported by finishDefinition
      continue;
    if (Resolvers.count(IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(Decl)))) {
      warning_at(DECL_SOURCE_LOCATION(Decl), 0,
                 "zaph: cannot count ifunc resolver '%s': it runs in the dynamic loader, before "
                 "the program can count",
                 O.Name.c_str());
      continue;
    }
    if (strncmp(O.Name.c_str(), "__zaph", 6) == 0)
      continue;
    Ops.push_back(O);
  }
  // In the order of the source, as clang's pass finds them.
  std::stable_sort(Ops.begin(), Ops.end(),
                   [](const Op &A, const Op &B) { return DECL_UID(A.Decl) < DECL_UID(B.Decl); });
  std::vector<Op> Kept;
  for (const Op &O : Ops) {
    if (delegates(cgraph_node::get(O.Decl), Ops, O))
      continue;
    if (WasConstOrPure.count(O.Decl))
      warning_at(DECL_SOURCE_LOCATION(O.Decl), 0,
                 "zaph: '%s' is declared const or pure; its calls here are kept, but calls from "
                 "other translation units through such a declaration may be merged or removed "
                 "and then not counted",
                 O.Name.c_str());
    Kept.push_back(O);
  }
  return Kept;
}

tree field(const char *Name, tree Type) {
  return build_decl(BUILTINS_LOCATION, FIELD_DECL, get_identifier(Name), Type);
}

// A RECORD_TYPE of Fields, in order (finish_builtin_struct takes them chained last first).
tree recordType(const char *Name, const std::vector<tree> &Fields) {
  tree Type = make_node(RECORD_TYPE), Chain = NULL_TREE;
  for (tree F : Fields) {
    DECL_CHAIN(F) = Chain;
    Chain = F;
  }
  finish_builtin_struct(Type, Name, Chain, NULL_TREE);
  return Type;
}

tree staticVariable(const char *Name, tree Type, bool Public) {
  tree Var = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier(Name), Type);
  TREE_STATIC(Var) = 1;
  TREE_PUBLIC(Var) = Public;
  TREE_USED(Var) = 1;
  TREE_ADDRESSABLE(Var) = 1;
  DECL_ARTIFICIAL(Var) = 1;
  DECL_IGNORED_P(Var) = 1;
  DECL_PRESERVE_P(Var) = 1;
  return Var;
}

// Variables made after the front end are added to the varpool as the middle end's own, so that
// they are analysed and survive -O1 and up.
// Before IPA_SSA GCC leaves them unanalysed, which at -O1 and up means never written out.
// They are also kept whatever refers to them: the counting pass adds its references after the
// symbol table's first removal of unreachable variables.
void addVariable(tree Var) {
  varpool_node::add(Var);
  varpool_node *Node = varpool_node::get(Var);
  Node->force_output = true;
  if (!Node->analyzed)
    Node->analyze();
}

tree externFunction(const char *Name, tree Type) {
  tree Fn = build_fn_decl(Name, Type);
  TREE_NOTHROW(Fn) = 1;
  DECL_ARTIFICIAL(Fn) = 1;
  return Fn;
}

tree u32(unsigned long V) { return build_int_cst(uint32_type_node, V); }
tree u64(unsigned long V) { return build_int_cst(uint64_type_node, V); }

// struct zaph_op_desc[] of include/zaph_abi.h.
tree emitOpTable(const std::vector<Op> &Ops) {
  tree Str = build_pointer_type(build_qualified_type(char_type_node, TYPE_QUAL_CONST));
  std::vector<tree> Fields = {field("name", Str),  field("file", Str),
                              field("line", uint32_type_node), field("kind", uint32_type_node),
                              field("tier", uint32_type_node), field("reserved", uint32_type_node)};
  tree Desc = recordType("zaph_op_desc", Fields);
  tree Type = build_array_type_nelts(Desc, Ops.size());
  vec<constructor_elt, va_gc> *Elements = NULL;
  for (size_t I = 0; I < Ops.size(); I++) {
    const Op &O = Ops[I];
    vec<constructor_elt, va_gc> *D = NULL;
    CONSTRUCTOR_APPEND_ELT(D, Fields[0], fold_convert(Str, build_string_literal(O.Name.size() + 1, O.Name.c_str())));
    CONSTRUCTOR_APPEND_ELT(D, Fields[1], fold_convert(Str, build_string_literal(O.File.size() + 1, O.File.c_str())));
    CONSTRUCTOR_APPEND_ELT(D, Fields[2], u32(O.Line));
    CONSTRUCTOR_APPEND_ELT(D, Fields[3], u32(O.Kind));
    CONSTRUCTOR_APPEND_ELT(D, Fields[4], u32(O.Tier));
    CONSTRUCTOR_APPEND_ELT(D, Fields[5], u32(0));
    CONSTRUCTOR_APPEND_ELT(Elements, size_int(I), build_constructor(Desc, D));
  }
  tree Table = staticVariable("__zaph_ops", Type, false);
  TREE_READONLY(Table) = 1;
  DECL_INITIAL(Table) = build_constructor(Type, Elements);
  TREE_CONSTANT(DECL_INITIAL(Table)) = 1;
  TREE_STATIC(DECL_INITIAL(Table)) = 1;
  addVariable(Table);
  return Table;
}

// A static function of no arguments whose body is Body (GENERIC), run as a constructor or a
// destructor of the given priority.
tree emitCdtor(const char *Name, tree Body, bool Constructor) {
  tree Fn = build_decl(BUILTINS_LOCATION, FUNCTION_DECL, get_identifier(Name),
                       build_function_type_list(void_type_node, NULL_TREE));
  tree Result = build_decl(BUILTINS_LOCATION, RESULT_DECL, NULL_TREE, void_type_node);
  DECL_ARTIFICIAL(Result) = 1;
  DECL_CONTEXT(Result) = Fn;
  DECL_RESULT(Fn) = Result;
  TREE_STATIC(Fn) = 1;
  TREE_USED(Fn) = 1;
  TREE_NOTHROW(Fn) = 1;
  DECL_ARTIFICIAL(Fn) = 1;
  DECL_IGNORED_P(Fn) = 1;
  DECL_UNINLINABLE(Fn) = 1;
  DECL_PRESERVE_P(Fn) = 1;
  DECL_INITIAL(Fn) = make_node(BLOCK);
  BLOCK_SUPERCONTEXT(DECL_INITIAL(Fn)) = Fn;
  TREE_USED(DECL_INITIAL(Fn)) = 1;
  DECL_SAVED_TREE(Fn) = Body;
  if (Constructor)
    DECL_STATIC_CONSTRUCTOR(Fn) = 1;
  else
    DECL_STATIC_DESTRUCTOR(Fn) = 1;
  return Fn;
}

void finishCdtor(tree Fn) {
  if (DECL_STATIC_CONSTRUCTOR(Fn))
    decl_init_priority_insert(Fn, 101);
  else
    decl_fini_priority_insert(Fn, 101);
  tree Saved = current_function_decl;
  push_struct_function(Fn);
  cfun->function_end_locus = BUILTINS_LOCATION;
  gimplify_function_tree(Fn);
  cgraph_node::add_new_function(Fn, false);
  pop_cfun();
  current_function_decl = Saved;
}

// Where this module's slots live: as GCC's own TLS default decides, by flag_shlib (code that
// may end up in a shared library), not flag_pic (Debian builds PIE by default).
bool headedForExecutable() { return !flag_shlib; }

tree tlsVariable(const char *Name, tree Type, bool Public, tls_model Model) {
  tree Var = staticVariable(Name, Type, Public);
  set_decl_tls_model(Var, Model);
  return Var;
}

// The module descriptor, the counters and the constructor (and, for a module that may be
// unloaded, the destructor), as the clang pass emits them (include/zaph_abi.h).
void emitModule(const std::vector<Op> &Ops) {
  ModuleState &S = State;
  const size_t N = Ops.size();
  const bool Executable = headedForExecutable();
  tree VoidFn = build_function_type_list(void_type_node, NULL_TREE);
  tree VoidFnPtr = build_pointer_type(VoidFn);
  std::vector<tree> Fields = {field("abi_version", uint32_type_node),
                              field("n_ops", uint32_type_node),
                              field("base", uint64_type_node),
                              field("register_module", VoidFnPtr),
                              field("flags", uint32_type_node),
                              field("first_slot", uint32_type_node),
                              field("epoch_offset", uint64_type_node),
                              field("shared", build_array_type_nelts(unsigned_char_type_node, N))};
  S.ModuleType = recordType("zaph_module", Fields);
  S.BaseField = Fields[2];
  S.EpochOffsetField = Fields[6];
  S.SharedField = Fields[7];
  S.Module = staticVariable("__zaph_module", S.ModuleType, false);
  SET_DECL_ALIGN(S.Module, 64);

  tree Table = emitOpTable(Ops);
  tree Ptr = ptr_type_node;
  if (Executable) {
    S.Counters = tlsVariable("__zaph_counters",
                             build_array_type_nelts(uint64_type_node, N * ZAPH_SLOT_WORDS), false,
                             TLS_MODEL_LOCAL_EXEC);
    SET_DECL_ALIGN(S.Counters, ZAPH_SLOT_SIZE * BITS_PER_UNIT);
    DECL_USER_ALIGN(S.Counters) = 1;
    addVariable(S.Counters);
    // One link-once hidden copy per module; the linker keeps one for the executable.
    S.ExeEpoch = tlsVariable(ZAPH_EXE_EPOCH_SYMBOL, uint64_type_node, true, TLS_MODEL_LOCAL_EXEC);
    DECL_INITIAL(S.ExeEpoch) = u64(ZAPH_EPOCH_NONE);
    DECL_VISIBILITY(S.ExeEpoch) = VISIBILITY_HIDDEN;
    DECL_VISIBILITY_SPECIFIED(S.ExeEpoch) = 1;
    make_decl_one_only(S.ExeEpoch, DECL_ASSEMBLER_NAME(S.ExeEpoch));
    addVariable(S.ExeEpoch);
  }

  tree Register = externFunction(
      ZAPH_REGISTER_SYMBOL, build_function_type_list(void_type_node, Ptr, Ptr, Ptr, Ptr, NULL_TREE));
  tree Args[4] = {build_fold_addr_expr(S.Module), build_fold_addr_expr(Table),
                  Executable ? build_fold_addr_expr(S.Counters) : null_pointer_node,
                  Executable ? build_fold_addr_expr(S.ExeEpoch) : null_pointer_node};
  for (tree &A : Args)
    A = fold_convert(Ptr, A);
  tree Ctor = emitCdtor("__zaph_register", build_call_expr(Register, 4, Args[0], Args[1],
                                                           Args[2], Args[3]), true);

  vec<constructor_elt, va_gc> *Init = NULL;
  CONSTRUCTOR_APPEND_ELT(Init, Fields[0], u32(ZAPH_ABI_VERSION));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[1], u32(N));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[2], u64(ZAPH_MODULE_BASE_INIT));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[3], fold_convert(VoidFnPtr, build_fold_addr_expr(Ctor)));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[4], u32(Executable ? ZAPH_MODULE_TLS : 0));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[5], u32(0));
  CONSTRUCTOR_APPEND_ELT(Init, Fields[6], u64(ZAPH_TLS_NONE));
  DECL_INITIAL(S.Module) = build_constructor(S.ModuleType, Init);
  TREE_STATIC(DECL_INITIAL(S.Module)) = 1;
  addVariable(S.Module);
  finishCdtor(Ctor);

  if (!Executable) {
    tree Unregister = externFunction(ZAPH_UNREGISTER_SYMBOL,
                                     build_function_type_list(void_type_node, Ptr, NULL_TREE));
    finishCdtor(emitCdtor("__zaph_unregister",
                          build_call_expr(Unregister, 1,
                                          fold_convert(Ptr, build_fold_addr_expr(S.Module))),
                          false));
  }
  S.EnterSlow = externFunction(
      ZAPH_ENTER_SLOW_SYMBOL,
      build_function_type_list(void_type_node, Ptr, uint32_type_node, Ptr, NULL_TREE));
  S.EnterShared = externFunction(
      ZAPH_ENTER_SHARED_SYMBOL,
      build_function_type_list(void_type_node, Ptr, uint32_type_node, Ptr, NULL_TREE));
  S.RequestEnter = externFunction(ZAPH_REQUEST_ENTER_SYMBOL, VoidFn);
}

// The IPA pass, before `visibility`: every body is lowered and none has been inlined yet.
const pass_data OpsPassData = {SIMPLE_IPA_PASS, "zaph-ops", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0};

struct OpsPass : simple_ipa_opt_pass {
  OpsPass(gcc::context *Ctx) : simple_ipa_opt_pass(OpsPassData, Ctx) {}
  bool gate(function *) override { return !in_lto_p && !seen_error(); }
  unsigned int execute(function *) override {
    std::vector<Op> Ops = collectOps();
    if (Ops.empty())
      return 0;
    if (Ops.size() > ZAPH_MAX_MODULE_OPS) {
      error_at(DECL_SOURCE_LOCATION(Ops[0].Decl),
               "zaph: too many ops in one translation unit: %u (the limit is %u)",
               unsigned(Ops.size()), unsigned(ZAPH_MAX_MODULE_OPS));
      return 0;
    }
    State.Ops = Ops;
    for (unsigned I = 0; I < Ops.size(); I++)
      State.Index[Ops[I].Decl] = I;
    emitModule(Ops);
    return 0;
  }
};

// Builds GIMPLE statements at the end of one basic block.
struct Emitter {
  gimple_stmt_iterator Gsi;
  explicit Emitter(basic_block BB) : Gsi(gsi_last_bb(BB)) {}
  void add(gimple *G) { gsi_insert_after(&Gsi, G, GSI_NEW_STMT); }
  tree assign(tree Type, tree Rhs) {
    tree Lhs = make_ssa_name(Type);
    add(gimple_build_assign(Lhs, Rhs));
    return Lhs;
  }
  tree op(tree Type, tree_code Code, tree A, tree B = NULL_TREE) {
    tree Lhs = make_ssa_name(Type);
    add(B ? gimple_build_assign(Lhs, Code, A, B) : gimple_build_assign(Lhs, Code, A));
    return Lhs;
  }
  void store(tree Ref, tree V) { add(gimple_build_assign(Ref, V)); }
};

// The 64-bit word at Offset bytes into the memory Ptr points at, with the alias set of char:
// the runtime reads the same words through other types.
tree word(tree Ptr, unsigned Offset) {
  return build2(MEM_REF, uint64_type_node, Ptr,
                build_int_cst(build_pointer_type(char_type_node), Offset));
}

// Splits off a new empty block on the single edge out of BB and returns it.
basic_block blockAfter(basic_block BB) { return split_edge(single_succ_edge(BB)); }

// The runtime's struct zaph_tls, declared when first used: the symbol table forgets the TLS
// model of an external variable that nothing referred to when it last removed unreachable ones.
tree runtimeTls() {
  if (!State.Tls) {
    State.Tls = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier(ZAPH_TLS_SYMBOL),
                           build_array_type_nelts(uint64_type_node, sizeof(zaph_tls) / 8));
    TREE_PUBLIC(State.Tls) = 1;
    DECL_EXTERNAL(State.Tls) = 1;
    DECL_ARTIFICIAL(State.Tls) = 1;
    TREE_ADDRESSABLE(State.Tls) = 1;
    set_decl_tls_model(State.Tls, TLS_MODEL_INITIAL_EXEC);
  }
  return State.Tls;
}

// A call of the runtime's slow path or shared-identity hook. On x86-64 it is inline assembly that calls the runtime's trampoline
// (runtime/trampoline_x86_64.S: the module in %r10, the index in %r11d, the red zone skipped),
// which saves every register but %r10, %r11, the flags and the vector registers: GCC then sees
// no call, and a function needs neither a stack frame nor saved registers for its cold path.
// Through the GOT, filled at load time: a lazily bound PLT entry would clobber %r10 and %r11.
// Elsewhere it is a plain call of the function.
gimple *coldCall(tree Function, const char *Trampoline, unsigned Index, tree Slot) {
  const ModuleState &S = State;
  if (TYPE_PRECISION(ptr_type_node) != 64 || !TARGET_64BIT) {
    gcall *Call = gimple_build_call(Function, 3, build_fold_addr_expr(S.Module),
                                    build_int_cst(uint32_type_node, Index), Slot);
    gimple_call_set_nothrow(Call, true);
    return Call;
  }
  std::string Asm = "leaq %0, %%r10\n\tleaq -128(%%rsp), %%rsp\n\tmovl $" +
                    std::to_string(Index) + ", %%r11d\n\tcall *" + Trampoline +
                    "@GOTPCREL(%%rip)\n\tleaq 128(%%rsp), %%rsp";
  vec<tree, va_gc> *Inputs = NULL, *Clobbers = NULL;
  // The module as a memory operand: its address is formed in the cold path, never kept in a
  // register across the function.
  vec_safe_push(Inputs, build_tree_list(build_tree_list(NULL_TREE, build_string(2, "m")),
                                        S.Module));
  auto Clobber = [&](const std::string &Reg) {
    vec_safe_push(Clobbers,
                  build_tree_list(NULL_TREE, build_string(Reg.size() + 1, Reg.c_str())));
  };
  for (const char *Reg : {"r10", "r11", "memory", "cc"})
    Clobber(Reg);
  // The runtime may use every vector register the target has (glibc's string functions use
  // the upper sixteen and the mask registers under AVX-512).
  const bool Avx512 = TARGET_AVX512F;
  for (int X = 0; X < (Avx512 ? 32 : 16); X++)
    Clobber("xmm" + std::to_string(X));
  for (int K = 0; Avx512 && K < 8; K++)
    Clobber("k" + std::to_string(K));
  gasm *Call = gimple_build_asm_vec(ggc_strdup(Asm.c_str()), Inputs, NULL, Clobbers, NULL);
  gimple_asm_set_volatile(Call, true);
  return Call;
}

// Inserts at the function's entry, for op Index:
//   [__zaph_request_enter();]                                      a request function
//   hot = &__zaph_counters[Index], epoch = __zaph_exe_epoch        executable module
//   hot = self + module.base + Index * 32,
//   epoch = *(&__zaph_tls + module.epoch_offset)                   block module
//   zaph_count_entry(&module, Index, hot, epoch)                   (include/zaph_abi.h)
// block by block, as pass/ZaphPass.cpp's instrument() does; the two cold calls go through
// coldCall().
class BlockBuilder {
  function *Fn;
  basic_block After;

public:
  BlockBuilder(function *Fn, basic_block First) : Fn(Fn), After(First) {}

  // A new empty block, in the loop of the function's entry.
  basic_block block() {
    After = create_empty_bb(After);
    if (current_loops)
      add_bb_to_loop(After, ENTRY_BLOCK_PTR_FOR_FN(Fn)->next_bb->loop_father);
    return After;
  }
  // Ends From with `if (A Code B)`: IfTrue with the given probability, else IfFalse.
  void branch(basic_block From, tree_code Code, tree A, tree B, basic_block IfTrue,
              basic_block IfFalse, profile_probability Likely) {
    Emitter(From).add(gimple_build_cond(Code, A, B, NULL_TREE, NULL_TREE));
    make_edge(From, IfTrue, EDGE_TRUE_VALUE)->probability = Likely;
    make_edge(From, IfFalse, EDGE_FALSE_VALUE)->probability = Likely.invert();
  }
  void jump(basic_block From, basic_block To) { make_single_succ_edge(From, To, EDGE_FALLTHRU); }
};

// *Word += Delta (or -= when Subtract), in BB.
void addTo(basic_block BB, tree Slot, unsigned Word, tree Delta, bool Subtract = false) {
  Emitter E(BB);
  tree Old = E.assign(uint64_type_node, word(Slot, Word));
  E.store(word(Slot, Word), E.op(uint64_type_node, Subtract ? MINUS_EXPR : PLUS_EXPR, Old, Delta));
}

tree loadWord(basic_block BB, tree Slot, unsigned Word) {
  return Emitter(BB).assign(uint64_type_node, word(Slot, Word));
}

// __atomic_load_n((uint64_t *)Ptr, __ATOMIC_RELAXED), a plain move.
tree relaxedLoad(Emitter &E, tree Ptr) {
  tree Load = builtin_decl_explicit(BUILT_IN_ATOMIC_LOAD_8);
  tree Value = make_ssa_name(TREE_TYPE(TREE_TYPE(Load)));
  gcall *Call = gimple_build_call(Load, 2, Ptr, build_int_cst(integer_type_node, 0));
  gimple_call_set_lhs(Call, Value);
  E.add(Call);
  return E.op(uint64_type_node, NOP_EXPR, Value);
}

void instrument(function *Fn, const Op &O, unsigned Index) {
  const ModuleState &S = State;
  basic_block Test = split_edge(single_succ_edge(ENTRY_BLOCK_PTR_FOR_FN(Fn)));
  basic_block Rest = blockAfter(Test);
  remove_edge(single_succ_edge(Test));
  BlockBuilder B(Fn, Test);
  Emitter E(Test);
  if (O.Kind == ZAPH_KIND_REQUEST)
    E.add(gimple_build_call(S.RequestEnter, 0));
  tree BytePtr = build_pointer_type(char_type_node);
  tree Slot, Epoch, EpochPtr = NULL_TREE;
  if (S.Counters) {
    tree Element = build4(ARRAY_REF, uint64_type_node, S.Counters,
                          size_int(Index * ZAPH_SLOT_WORDS), NULL_TREE, NULL_TREE);
    Slot = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(Element)));
    EpochPtr = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(S.ExeEpoch)));
    Epoch = E.assign(uint64_type_node, S.ExeEpoch);
  } else {
    tree Tls = E.assign(BytePtr, fold_convert(BytePtr, build_fold_addr_expr(runtimeTls())));
    tree Self = E.op(BytePtr, NOP_EXPR, E.assign(uint64_type_node, word(Tls, ZAPH_TLS_SELF)));
    tree EpochOffset = E.assign(uint64_type_node, build3(COMPONENT_REF, uint64_type_node,
                                                         S.Module, S.EpochOffsetField, NULL_TREE));
    tree EpochAt = E.op(BytePtr, POINTER_PLUS_EXPR, Tls, E.op(sizetype, NOP_EXPR, EpochOffset));
    Epoch = E.assign(uint64_type_node, word(EpochAt, 0));
    tree Base = E.assign(uint64_type_node,
                         build3(COMPONENT_REF, uint64_type_node, S.Module, S.BaseField, NULL_TREE));
    tree Offset = E.op(uint64_type_node, PLUS_EXPR, Base, u64(uint64_t(Index) * ZAPH_SLOT_SIZE));
    Slot = E.op(BytePtr, POINTER_PLUS_EXPR, Self, E.op(sizetype, NOP_EXPR, Offset));
  }
  tree Seen = E.assign(uint64_type_node, word(Slot, ZAPH_SLOT_SEEN));
  tree Signed = build_nonstandard_integer_type(64, 0), Zero = u64(0), One = u64(1);

  basic_block Count = B.block(), First = B.block(), NotBoth = B.block(),
              ToOutside = B.block(), NotOutside = B.block(), FromOutside = B.block(),
              Touch = B.block(), Shared = B.block(), Slow = B.block();
  const profile_probability Likely = profile_probability::very_likely();
  // seen == epoch: count and go on.
  B.branch(Test, EQ_EXPR, Seen, Epoch, Count, First, Likely);
  addTo(Count, Slot, ZAPH_SLOT_ENTRIES, One);
  B.jump(Count, Rest);
  // Both inside requests (sign bits): the op's first entry in this request. Seen, and an
  // executable's epoch, are loaded again, as relaxed atomics, which GCC does not merge with the
  // loads above: the hot test then keeps a memory operand for them. (A block module's epoch
  // is not: its address would then be computed whole, %fs base included, on the hot path.)
  Emitter F(First);
  if (EpochPtr)
    Epoch = relaxedLoad(F, EpochPtr);
  Seen = relaxedLoad(F, F.op(BytePtr, POINTER_PLUS_EXPR, Slot, size_int(ZAPH_SLOT_SEEN)));
  tree Both = F.op(Signed, NOP_EXPR, F.op(uint64_type_node, BIT_AND_EXPR, Seen, Epoch));
  B.branch(First, LT_EXPR, Both, build_int_cst(Signed, 0), Touch, NotBoth, Likely);
  B.branch(NotBoth, EQ_EXPR, Epoch, Zero, ToOutside, NotOutside, profile_probability::even());
  // Inside, now outside: a run of outside entries begins.
  addTo(ToOutside, Slot, ZAPH_SLOT_OUTSIDE_BASE, loadWord(ToOutside, Slot, ZAPH_SLOT_ENTRIES),
        /*Subtract=*/true);
  Emitter(ToOutside).store(word(Slot, ZAPH_SLOT_SEEN), Epoch);
  B.jump(ToOutside, Count);
  tree EpochSigned = Emitter(NotOutside).op(Signed, NOP_EXPR, Epoch);
  B.branch(NotOutside, LT_EXPR, EpochSigned, build_int_cst(Signed, 0), FromOutside, Slow,
           Likely);
  // Outside, now inside: the run of outside entries ends.
  addTo(FromOutside, Slot, ZAPH_SLOT_OUTSIDE_BASE,
        loadWord(FromOutside, Slot, ZAPH_SLOT_ENTRIES));
  B.jump(FromOutside, Touch);
  Emitter(Touch).store(word(Slot, ZAPH_SLOT_SEEN), Epoch);
  addTo(Touch, Slot, ZAPH_SLOT_TOUCHED, One);
  tree Flag = build4(ARRAY_REF, unsigned_char_type_node,
                     build3(COMPONENT_REF, TREE_TYPE(S.SharedField), S.Module, S.SharedField,
                            NULL_TREE),
                     size_int(Index), NULL_TREE, NULL_TREE);
  tree SharedFlag = Emitter(Touch).assign(unsigned_char_type_node, Flag);
  B.branch(Touch, EQ_EXPR, SharedFlag, build_int_cst(unsigned_char_type_node, 0), Count, Shared,
           Likely);
  Emitter(Shared).add(coldCall(S.EnterShared, ZAPH_SHARED_TRAMPOLINE_SYMBOL, Index, Slot));
  B.jump(Shared, Count);
  Emitter(Slow).add(coldCall(S.EnterSlow, ZAPH_SLOW_TRAMPOLINE_SYMBOL, Index, Slot));
  B.jump(Slow, Rest);
  free_dominance_info(CDI_DOMINATORS);
}

// The GIMPLE pass, right after `ssa`: it sees each body before `einline` and IPA inlining, so
// inlined copies count too.
const pass_data CountPassData = {GIMPLE_PASS, "zaph", OPTGROUP_NONE, TV_NONE, PROP_ssa | PROP_cfg,
                                 0, 0, 0, TODO_update_ssa};

struct CountPass : gimple_opt_pass {
  CountPass(gcc::context *Ctx) : gimple_opt_pass(CountPassData, Ctx) {}
  bool gate(function *) override { return !in_lto_p && !State.Index.empty(); }
  unsigned int execute(function *Fn) override {
    auto Found = State.Index.find(Fn->decl);
    if (Found == State.Index.end())
      return 0;
    instrument(Fn, State.Ops[Found->second], Found->second);
    mark_virtual_operands_for_renaming(Fn);
    return TODO_update_ssa;
  }
  opt_pass *clone() override { return new CountPass(m_ctxt); }
};

} // namespace

__attribute__((visibility("default"))) int plugin_init(plugin_name_args *Info,
                                                     plugin_gcc_version *Version) {
  if (!plugin_default_version_check(Version, &gcc_version)) {
    error("zaph: %s was built for GCC %s and cannot be loaded into GCC %s", Info->full_name,
          gcc_version.basever, Version->basever);
    return 1;
  }
  register_callback(Info->base_name, PLUGIN_REGISTER_GGC_ROOTS, NULL,
                    const_cast<ggc_root_tab *>(StateRoots));
  register_callback(Info->base_name, PLUGIN_ATTRIBUTES, registerAttributes, NULL);
  register_callback(Info->base_name, PLUGIN_FINISH_DECL, finishDecl, NULL);
  register_callback(Info->base_name, PLUGIN_PRE_GENERICIZE, finishDefinition, NULL);
  register_callback(Info->base_name, PLUGIN_ALL_IPA_PASSES_START, reportDeclaredOnly, NULL);

  register_pass_info Ops = {new OpsPass(g), "visibility", 1, PASS_POS_INSERT_BEFORE};
  register_callback(Info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &Ops);
  register_pass_info Count = {new CountPass(g), "ssa", 1, PASS_POS_INSERT_AFTER};
  register_callback(Info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &Count);
  return 0;
}
