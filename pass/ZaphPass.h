// The zaph instrumentation pass: finds functions annotated zaph_op / zaph_request, inserts an
// inline per-thread entry counter at each one's entry, and emits the module's op table and a
// constructor that registers it with the runtime. Runs at pipeline start, before inlining.
#ifndef ZAPH_PASS_H
#define ZAPH_PASS_H

#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"

namespace zaph {

struct ZaphPass : llvm::PassInfoMixin<ZaphPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  bool runOnModule(llvm::Module &M);
  // Instrument at -O0 and in optnone functions too: counts must not depend on -O.
  static bool isRequired() { return true; }
};

} // namespace zaph

#endif
