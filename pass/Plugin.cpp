// The plugin entry point: how clang (-fpass-plugin) and opt (-load-pass-plugin) find the pass.
#include "ZaphPass.h"
#include "compat.h"

#include "llvm/Passes/PassBuilder.h"

using namespace llvm;

// The one exported symbol of the plugin (everything else is hidden).
extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default"))) PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "zaph", ZAPH_VERSION, [](PassBuilder &PB) {
            // `opt -load-pass-plugin=zaph-pass.so -passes=zaph`
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM,
                   ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "zaph")
                    return false;
                  MPM.addPass(zaph::ZaphPass());
                  return true;
                });
            // `clang -fpass-plugin=zaph-pass.so`: at the start of every pipeline (-O0 to -O3,
            // -Os, and the pre-link half of -flto / -flto=thin), so counting is in place
            // before the inliner copies a function into its callers.
            PB.registerPipelineStartEPCallback(
                [](ModulePassManager &MPM, OptimizationLevel) {
                  MPM.addPass(zaph::ZaphPass());
                });
          }};
}
