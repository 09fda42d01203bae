// The ops of a module: what pass/Annotations.cpp reads from the module's zaph annotations,
// and pass/ZaphPass.cpp instruments.
#ifndef ZAPH_ANNOTATIONS_H
#define ZAPH_ANNOTATIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace zaph {

// Set on every function the pass has instrumented, so a second run (an LTO link that loads the
// plugin again) leaves it alone.
inline constexpr const char *InstrumentedAttr = "zaph-instrumented";

// One function to count: how its op-table entry names it (demangled), where it is, its kind
// (enum zaph_op_kind) and declared tier (0 for none).
struct Op {
  llvm::Function *F;
  std::string Name;
  std::string File;
  unsigned Line;
  unsigned Kind;
  unsigned Tier;
  std::string TierAt;       // file:line of the annotation that declared Tier
  bool TierConflict = false; // two annotations declared different tiers
  unsigned Timed = 0;        // 0, or 1 + k: one entry in 2^k is timed (zaph_abi.h)
  uint64_t TargetNs = 0;     // declared target duration, 0 for none
};

// Every zaph-annotated function of M that can be counted, in the order of its annotations,
// each once (one construction or destruction is one op). An annotation that cannot be
// honoured is a diagnostic with its file and line.
std::vector<Op> collectOps(llvm::Module &M);

// Warns of zaph annotations on local variables, which are ignored.
void diagnoseLocalAnnotations(llvm::Module &M);

// Warns, once for the file, when clang compiles M from source without the front-end half.
void warnWithoutFrontend(llvm::Module &M);

struct FrontendRecord;
// What the front-end half (zaph-frontend.so, if clang loaded it) recorded of M's translation
// unit (Frontend.h), or null.
const FrontendRecord *frontendRecord(const llvm::Module &M);

// Reports What, which names its own place; clang prints it as "error: zaph: <What>".
void report(llvm::Module &M, llvm::DiagnosticSeverity Severity, const llvm::Twine &What);

// Reports What at File:Line; clang prints it as "warning: <file>:<line>: zaph: <What>".
void diagnose(llvm::Module &M, llvm::DiagnosticSeverity Severity, llvm::StringRef File,
              unsigned Line, const llvm::Twine &What);

} // namespace zaph

#endif
