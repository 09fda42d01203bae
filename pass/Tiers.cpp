// The ledger's tiers as function attributes, at the start of the pipeline, before the inliner
// and every layout decision: Tier 1 (assigned) gets `hot` and the section prefix "hot"
// (.text.hot.), Tier 3 gets `cold`, `optsize` (as clang gives __attribute__((cold))) and the
// prefix "unlikely" (.text.unlikely.); Tier 2 and unassigned ops are left as they are. A
// function the source already marks hot or cold keeps what the source says; a ledger that
// says the opposite is warned about.
#include "Tiers.h"
#include "Frontend.h"
#include "compat.h"
#include "zaph_ledger.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <string>

using namespace llvm;

namespace {

struct LedgerDeleter {
  void operator()(zaph_ledger *L) const { zaph_ledger_free(L); }
};

// ZAPH_TIERS's ledger when the front end is not there (opt, or clang without -fplugin): read
// once per process and path. Null, after an error reported once per module, when unreadable.
const zaph_ledger *environmentLedger(Module &M, bool &Failed) {
  static std::map<std::string, std::unique_ptr<zaph_ledger, LedgerDeleter>> Read;
  static std::map<std::string, std::string> Errors;
  Failed = false;
  const char *Path = std::getenv(ZAPH_TIERS_ENV);
  if (!Path || !*Path)
    return nullptr;
  auto Found = Read.find(Path);
  if (Found == Read.end()) {
    char Error[512];
    zaph_ledger *L = zaph_ledger_read(Path, Error, sizeof Error);
    if (!L)
      Errors[Path] = Error;
    Found = Read.emplace(Path, L).first;
  }
  if (!Found->second) {
    zaph::report(M, DS_Error, Errors[Path]);
    Failed = true;
  }
  return Found->second.get();
}

} // namespace

bool zaph::applyTiers(Module &M, const std::vector<Op> &Ops) {
  const zaph_ledger *Ledger;
  if (const FrontendRecord *Front = frontendRecord(M)) {
    Ledger = Front->Ledger.get();
  } else {
    bool Failed;
    Ledger = environmentLedger(M, Failed);
    if (Failed)
      return false;
  }
  if (!Ledger)
    return true;
  for (const Op &O : Ops) {
    const zaph_ledger_entry *E =
        zaph_ledger_find(Ledger, O.Name.c_str(), O.File.c_str(), O.Line, int(O.Kind));
    if (!E || E->current.status != ZAPH_LEDGER_ASSIGNED || E->current.tier == 2)
      continue;
    Function &F = *O.F;
    const bool Hot = E->current.tier == 1;
    const bool SourceHot = F.hasFnAttribute(Attribute::Hot),
               SourceCold = F.hasFnAttribute(Attribute::Cold);
    if (SourceHot || SourceCold) {
      if (SourceHot != Hot)
        diagnose(M, DS_Warning, O.File, O.Line,
                 "'" + O.Name + "' is marked " + (SourceHot ? "hot" : "cold") +
                     " in the source, which wins over its Tier " + Twine(E->current.tier) +
                     " in " + Ledger->path);
      continue;
    }
    if (Hot) {
      F.addFnAttr(Attribute::Hot);
    } else {
      F.addFnAttr(Attribute::Cold);
      if (!F.hasFnAttribute(Attribute::OptimizeNone) && !F.hasFnAttribute(Attribute::MinSize))
        F.addFnAttr(Attribute::OptimizeForSize);
    }
    // An explicit section (__attribute__((section))) is the source's choice of placement.
    if (!F.hasSection())
      setSectionPrefix(F, Hot ? "hot" : "unlikely");
  }
  return true;
}
