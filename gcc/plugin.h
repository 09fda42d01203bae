// What the GCC plugin's files share (gcc/): the ops of the translation unit and the trees the
// IPA pass (module.cc) makes for the counting pass (count.cc); plugin.cc registers both passes
// and attributes.cc's callbacks with GCC.
#ifndef ZAPH_GCC_PLUGIN_H
#define ZAPH_GCC_PLUGIN_H

// Before GCC's headers, which poison parts of the C library (tolower, ...).
#include "zaph_annotation.h"
#include "zaph_ledger.h"
#include "zaph_list.h"

#include <algorithm>
#include <cxxabi.h>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "gcc-plugin.h"

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
#include "langhooks.h"
#include "tree-inline.h"
#include "internal-fn.h"
#include "tree-cfg.h"
#include "tree-dfa.h"

namespace zaph_gcc {

// The annotation grammar both plugins share (include/zaph_annotation.h).
using zaph::isZaphAnnotation;
using zaph::meantAnnotation;
using zaph::misspeltZaphAnnotation;
using zaph::parseAnnotation;

struct Op {
  tree Decl;
  std::string Name, File;
  unsigned Line, Kind, Tier;
  unsigned Timed = 0;    // 0, or 1 + k: one entry in 2^k is timed (zaph_abi.h)
  uint64_t TargetNs = 0; // declared target duration, 0 for none
};

// The module being built: filled by the IPA pass, read by the counting pass.
struct ModuleState {
  std::vector<Op> Ops;
  std::map<tree, unsigned> Index; // function decl -> op index
  tree Module = NULL_TREE, ModuleType = NULL_TREE;
  tree BaseField = NULL_TREE, EpochOffsetField = NULL_TREE, SharedField = NULL_TREE;
  tree Counters = NULL_TREE, ExeEpoch = NULL_TREE, Tls = NULL_TREE;
  tree EnterSlow = NULL_TREE, EnterShared = NULL_TREE, RequestEnter = NULL_TREE;
  tree TimeBegin = NULL_TREE, TimeEnd = NULL_TREE; // declared when an op is timed
};
extern ModuleState State;

inline tree u32(unsigned long V) { return build_int_cst(uint32_type_node, V); }
inline tree u64(unsigned long V) { return build_int_cst(uint64_type_node, V); }

// attributes.cc: the text of one annotate attribute ("" if it is not one string); the
// attribute and declaration callbacks; the functions whose const or pure was cleared.
std::string annotationText(tree Attr);
extern std::set<tree> WasConstOrPure;
void registerAttributes(void *, void *);
void finishDecl(void *GccData, void *);
void finishDefinition(void *GccData, void *);
void reportDeclaredOnly(void *, void *);

// module.cc: the list file of -fplugin-arg-zaph-list=FILE (else ZAPH_LIST), read once; whether
// a C function is listed while GCC parses it; the annotated and listed functions of the unit,
// in source order; the module descriptor, op table, counters and constructor for them.
extern std::string ListPath;
zaph_list *listFile(bool &Failed);
bool listedWhileParsing(tree Decl);
std::vector<Op> collectOps();
void emitModule(const std::vector<Op> &Ops);

// tiers.cc: the tier ledger of -fplugin-arg-zaph-tiers=FILE (else ZAPH_TIERS), read once
// (plugin_init does), null without one and after an error (reported once); the hot and cold
// attributes of the ops it assigns Tier 1 and Tier 3.
extern std::string TiersPath;
const zaph_ledger *ledgerFile(bool &Failed);
void applyTiers(const std::vector<Op> &Ops);

// count.cc: the counter at the entry of op Index, and for a timed op its timed copy, made
// first.
void instrument(function *Fn, const Op &O, unsigned Index);

} // namespace zaph_gcc

#endif
