// Tiers fed back to GCC (docs/ledger.md, "What the compilers do with tiers"): the ops the tier
// ledger assigns Tier 1 get GCC's `hot` attribute, those it assigns Tier 3 `cold`, as if the
// source said so. The IPA pass adds them before `visibility`, ahead of every body's
// `profile_estimate` (which sets the node's frequency from them: NODE_FREQUENCY_HOT or
// NODE_FREQUENCY_UNLIKELY_EXECUTED), early and IPA inlining, branch prediction in callers and
// the choice of section (.text.hot, .text.unlikely, under -freorder-functions: -O2 and up).
// Tier 2 and unassigned ops are left alone; a function the source already marks hot or cold
// keeps what the source says, with a warning when the ledger says the opposite.
#include "plugin.h"

namespace zaph_gcc {

std::string TiersPath;

namespace {
struct LedgerDeleter {
  void operator()(zaph_ledger *L) const { zaph_ledger_free(L); }
};
} // namespace

const zaph_ledger *ledgerFile(bool &Failed) {
  static bool Read = false, ReadFailed = false;
  static std::unique_ptr<zaph_ledger, LedgerDeleter> Ledger;
  if (!Read) {
    Read = true;
    std::string Path = TiersPath;
    if (Path.empty() && getenv(ZAPH_TIERS_ENV))
      Path = getenv(ZAPH_TIERS_ENV);
    char Error[512];
    if (!Path.empty()) {
      Ledger.reset(zaph_ledger_read(Path.c_str(), Error, sizeof Error));
      if (!Ledger) {
        error_at(UNKNOWN_LOCATION, "zaph: %s", Error); // the message has the file and position
        ReadFailed = true;
      }
    }
  }
  Failed = ReadFailed;
  return Ledger.get();
}

void applyTiers(const std::vector<Op> &Ops) {
  bool Failed;
  const zaph_ledger *Ledger = ledgerFile(Failed);
  if (!Ledger)
    return;
  for (const Op &O : Ops) {
    const zaph_ledger_entry *E =
        zaph_ledger_find(Ledger, O.Name.c_str(), O.File.c_str(), O.Line, int(O.Kind));
    if (!E || E->current.status != ZAPH_LEDGER_ASSIGNED || E->current.tier == 2)
      continue;
    const bool Hot = E->current.tier == 1;
    const bool SourceHot = lookup_attribute("hot", DECL_ATTRIBUTES(O.Decl)) != NULL_TREE,
               SourceCold = lookup_attribute("cold", DECL_ATTRIBUTES(O.Decl)) != NULL_TREE;
    if (SourceHot || SourceCold) {
      if (SourceHot != Hot)
        warning_at(DECL_SOURCE_LOCATION(O.Decl), 0,
                   "zaph: '%s' is marked %s in the source, which wins over its Tier %u in %s",
                   O.Name.c_str(), SourceHot ? "hot" : "cold", E->current.tier, Ledger->path);
      continue;
    }
    DECL_ATTRIBUTES(O.Decl) =
        tree_cons(get_identifier(Hot ? "hot" : "cold"), NULL_TREE, DECL_ATTRIBUTES(O.Decl));
  }
}

} // namespace zaph_gcc
