// Tiers fed back to the compiler (docs/ledger.md, "What the compilers do with tiers"): the ops
// the tier ledger assigns Tier 1 are marked hot, those it assigns Tier 3 cold.
#ifndef ZAPH_TIERS_H
#define ZAPH_TIERS_H

#include "Annotations.h"

#include "llvm/IR/Module.h"

#include <vector>

namespace zaph {

// Looks each of Ops up in the ledger the front end read (or, without the front end, the one
// ZAPH_TIERS names) and marks it by its tier. Returns false after reporting an error: a ledger
// that cannot be read.
bool applyTiers(llvm::Module &M, const std::vector<Op> &Ops);

} // namespace zaph

#endif
