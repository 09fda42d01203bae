// The annotate attribute: registered so zaph's macros compile without warnings, checked where
// GCC still knows each annotation's place (include/zaph_annotation.h's rules), and the const and pure
// flags of ops cleared before GCC folds by them. docs/design.md, "The GCC plugin".
#include "plugin.h"

namespace zaph_gcc {

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
    std::string Meant = zaph::misspeltZaphAnnotation(Text);
    if (!Meant.empty())
      warning_at(Loc, 0, "zaph: '%s' is not a zaph annotation and is ignored: did you mean '%s'?",
                 Text.c_str(), zaph::meantAnnotation(Meant).c_str());
    return NULL_TREE;
  }
  zaph::AnnotationValues Values;
  std::string Problem = parseAnnotation(Text, Values);
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
    if (Values.Tier)
      checkTier(Decl, Values.Tier, Loc);
  }
  return NULL_TREE;
}

const attribute_spec AnnotateAttribute = {"annotate", 1, 1, false, false, false, false,
                                          handleAnnotate, NULL};

void registerAttributes(void *, void *) { register_attribute(&AnnotateAttribute); }

// `const` after the annotation, in the same declaration or a later one: cleared at the end of
// a declaration and at the end of a definition's body (before any later code calls it); also
// for a C function the list file names (module.cc).
void finishDecl(void *GccData, void *) {
  tree Decl = (tree)GccData;
  if (!Decl || TREE_CODE(Decl) != FUNCTION_DECL ||
      (!hasZaphAnnotation(Decl) && !listedWhileParsing(Decl)))
    return;
  clearConstPure(Decl);
}

// A definition, before GCC lowers it: reported here, where a unit with errors still gets it.
void finishDefinition(void *GccData, void *) {
  tree Decl = (tree)GccData;
  if (!Decl || TREE_CODE(Decl) != FUNCTION_DECL ||
      (!hasZaphAnnotation(Decl) && !listedWhileParsing(Decl)))
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

} // namespace zaph_gcc
