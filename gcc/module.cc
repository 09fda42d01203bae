// The IPA half of the GCC plugin: which functions are ops, under which name, file and line, and
// the module descriptor, op table, counters and constructor of include/zaph_abi.h for them, as
// pass/ZaphPass.cpp emits them.
#include "plugin.h"

namespace zaph_gcc {

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

std::string ListPath;

// The list file named by the plugin's argument or ZAPH_LIST, read once (plugin_init does); null
// without one, and after an error (reported once) when it cannot be read or has a malformed line.
zaph_list *listFile(bool &Failed) {
  static bool Read = false, ReadFailed = false;
  static zaph_list *List = NULL;
  if (!Read) {
    Read = true;
    std::string Path = ListPath;
    if (Path.empty() && getenv(ZAPH_LIST_ENV))
      Path = getenv(ZAPH_LIST_ENV);
    char Error[512];
    if (!Path.empty() && !(List = zaph_list_read(Path.c_str(), Error, sizeof Error))) {
      error_at(UNKNOWN_LOCATION, "zaph: %s", Error); // the message has the file and line
      ReadFailed = true;
    }
  }
  Failed = ReadFailed;
  return List;
}

// Whether a C function, while GCC parses it, is listed: its const and pure are then cleared as
// an annotated one's are. Only by the name GCC has then, so not for C++, whose op names are
// demangled symbols that GCC has not made yet.
bool listedWhileParsing(tree Decl) {
  bool Failed;
  zaph_list *List = listFile(Failed);
  unsigned Kind, Tier;
  return List && !lang_GNU_CXX() && DECL_NAME(Decl) &&
         zaph_list_match(List, IDENTIFIER_POINTER(DECL_NAME(Decl)),
                         presumedFile(DECL_SOURCE_LOCATION(Decl)).c_str(), &Kind, &Tier);
}

// The annotate attributes of Decl in the order the source wrote them: GCC chains each new
// attribute in front of those it already has.
std::vector<tree> annotationsInSourceOrder(tree Decl) {
  std::vector<tree> All;
  for (tree A = lookup_attribute("annotate", DECL_ATTRIBUTES(Decl)); A;
       A = lookup_attribute("annotate", TREE_CHAIN(A)))
    All.push_back(A);
  std::reverse(All.begin(), All.end());
  return All;
}

// Why the op Decl cannot have a timed copy, or NULL when it can: a variadic function's copy
// could not take its arguments, as with clang; a body GCC will not copy (a nested function,
// which the copy's call would need a static chain for, or what copy_forbidden() refuses).
const char *timingRefused(tree Decl) {
  if (stdarg_p(TREE_TYPE(Decl)))
    return "variadic";
  function *Fn = DECL_STRUCT_FUNCTION(Decl);
  if (Fn && Fn->static_chain_decl)
    return "nested";
  if (!tree_versionable_function_p(Decl))
    return "uncopyable";
  return NULL;
}

// One annotation's (or list line's) timing, Timed = 1 + k or 0: the first that times the op
// gives its rate, the first with a target its target (pass/Annotations.cpp); each one that
// would time an op that cannot be timed is a warning.
void addTiming(Op &O, unsigned Timed, uint64_t TargetNs) {
  if (!Timed)
    return;
  if (const char *Refused = timingRefused(O.Decl)) {
    const char *Symbol = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(O.Decl));
    Symbol += Symbol[0] == '*';
    if (strcmp(Refused, "variadic") == 0)
      warning_at(DECL_SOURCE_LOCATION(O.Decl), 0,
                 "zaph: cannot time variadic function '%s': its timed copy could not take its "
                 "arguments; it is counted, not timed",
                 Symbol);
    else if (strcmp(Refused, "nested") == 0)
      warning_at(DECL_SOURCE_LOCATION(O.Decl), 0,
                 "zaph: cannot time nested function '%s': its timed copy could not reach its "
                 "enclosing function's frame; it is counted, not timed",
                 Symbol);
    else
      warning_at(DECL_SOURCE_LOCATION(O.Decl), 0,
                 "zaph: cannot time '%s': GCC cannot copy its body (%s); it is counted, not "
                 "timed",
                 Symbol, lookup_attribute("noclone", DECL_ATTRIBUTES(O.Decl))
                             ? "noclone"
                             : copy_forbidden(DECL_STRUCT_FUNCTION(O.Decl)));
    return;
  }
  if (!O.Timed)
    O.Timed = Timed;
  if (!O.TargetNs)
    O.TargetNs = TargetNs;
}

std::vector<Op> collectOps() {
  std::vector<Op> Ops;
  bool ListFailed;
  zaph_list *const List = listFile(ListFailed);
  if (ListFailed)
    return Ops;
  const std::set<std::string> Resolvers = ifuncResolvers();
  cgraph_node *Node;
  FOR_EACH_DEFINED_FUNCTION(Node) {
    tree Decl = Node->decl;
    if (Node->alias || Node->thunk || !gimple_has_body_p(Decl))
      continue;
    Op O = {Decl, "", "", 0, 0, 0};
    bool Annotated = false, TierConflict = false;
    O.Name = displayName(Decl);
    for (tree A : annotationsInSourceOrder(Decl)) {
      zaph::AnnotationValues V;
      std::string Text = annotationText(A);
      if (!isZaphAnnotation(Text) || !parseAnnotation(Text, V).empty())
        continue;
      Annotated = true;
      if (V.Kind == ZAPH_KIND_REQUEST)
        O.Kind = V.Kind;
      if (V.Tier && O.Tier && V.Tier != O.Tier)
        TierConflict = true;
      if (V.Tier)
        O.Tier = V.Tier;
      addTiming(O, V.TimedLog2, V.TargetNs);
    }
    // A listed function is as if annotated with what its lines declare (include/zaph_list.h);
    // functions GCC made itself are in no list.
    O.File = presumedFile(DECL_SOURCE_LOCATION(Decl));
    unsigned ListKind = 0, ListTier = 0, ListTimed = 0;
    const bool Listed = List && !DECL_ARTIFICIAL(Decl) &&
                        zaph_list_match_timed(List, O.Name.c_str(), O.File.c_str(), &ListKind,
                                              &ListTier, &ListTimed);
    if (!Annotated && !Listed)
      continue;
    if (Listed && ListTimed) // after the annotations, as clang's front end records them
      addTiming(O, ListTimed, 0);
    if (Listed && ListKind == ZAPH_KIND_REQUEST)
      O.Kind = ListKind;
    if (Listed && ListTier && O.Tier && ListTier != O.Tier && !TierConflict) {
      warning_at(DECL_SOURCE_LOCATION(Decl), 0,
                 "zaph: '%s' declares two tiers, %u (its annotation) and %u (the list file): it "
                 "is counted with no declared tier",
                 O.Name.c_str(), O.Tier, ListTier);
      TierConflict = true;
    }
    if (Listed && ListTier && !O.Tier)
      O.Tier = ListTier;
    expanded_location At = expand_location(DECL_SOURCE_LOCATION(Decl));
    O.Line = unsigned(At.line);
    if (!O.Kind)
      O.Kind = ZAPH_KIND_OP;
    if (TierConflict) // reported by checkTier or above
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
  if (List && zaph_list_verbose())
    zaph_list_unmatched(
        List, [](const char *What, void *) { warning_at(UNKNOWN_LOCATION, 0, "zaph: %s", What); }, NULL);
  // In the order of the source, as clang's pass finds them.
  std::stable_sort(Ops.begin(), Ops.end(),
                   [](const Op &A, const Op &B) { return DECL_UID(A.Decl) < DECL_UID(B.Decl); });
  std::vector<Op> Kept;
  for (Op &O : Ops) {
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
  // ZAPH_TIMED=N in the compiler's environment times every op its annotations and the list
  // do not, as with clang.
  if (const char *Every = getenv(ZAPH_TIMED_ENV)) {
    const unsigned Timed = zaph::parseSampling(Every);
    if (!Timed && !Kept.empty())
      error_at(DECL_SOURCE_LOCATION(Kept[0].Decl),
               "zaph: " ZAPH_TIMED_ENV "=%s: expected a power of two from 1 to %u (time one "
               "entry in N of every op)",
               Every, 1u << ZAPH_TIMED_MAX_LOG2);
    for (Op &O : Kept)
      if (Timed && !O.Timed && !timingRefused(O.Decl))
        O.Timed = Timed;
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


// struct zaph_op_desc[] of include/zaph_abi.h.
tree emitOpTable(const std::vector<Op> &Ops) {
  tree Str = build_pointer_type(build_qualified_type(char_type_node, TYPE_QUAL_CONST));
  std::vector<tree> Fields = {field("name", Str),  field("file", Str),
                              field("line", uint32_type_node), field("kind", uint32_type_node),
                              field("tier", uint32_type_node), field("timed", uint32_type_node),
                              field("target_ns", uint64_type_node)};
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
    CONSTRUCTOR_APPEND_ELT(D, Fields[5], u32(O.Timed));
    CONSTRUCTOR_APPEND_ELT(D, Fields[6], build_int_cst(uint64_type_node, O.TargetNs));
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
  // What the timed copies call (include/zaph_abi.h).
  for (const Op &O : Ops)
    if (O.Timed) {
      S.TimeBegin = externFunction(ZAPH_TIME_BEGIN_SYMBOL,
                                   build_function_type_list(uint64_type_node, Ptr,
                                                            uint32_type_node, NULL_TREE));
      S.TimeEnd = externFunction(ZAPH_TIME_END_SYMBOL,
                                 build_function_type_list(void_type_node, Ptr, uint32_type_node,
                                                          uint64_type_node, NULL_TREE));
      break;
    }
}

} // namespace zaph_gcc
