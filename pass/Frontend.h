// What the front-end half of the plugin (Frontend.cpp, `clang -fplugin=`) hands to the pass
// (ZaphPass.cpp, `-fpass-plugin=`) when both run in one clang process: every zaph-annotated
// definition of the translation unit being compiled, by the symbol clang gives it. The pass
// takes these with the module's llvm.global.annotations, which clang fills only in part
// (docs/design.md, "The front-end half").
#ifndef ZAPH_FRONTEND_H
#define ZAPH_FRONTEND_H

#include "zaph_ledger.h"

#include <memory>
#include <string>
#include <vector>

namespace zaph {

struct AnnotatedSymbol {
  std::string Symbol;     // the function's name in the IR (every variant of a constructor)
  std::string Annotation; // "zaph_op", "zaph_op:tier=2", ...
  std::string File;       // where clang's own annotation would say: the definition
  unsigned Line;
  std::string Where;      // file:line of the annotation itself, for messages
};

struct FrontendRecord {
  std::string Module; // the translation unit it describes, as clang names its module
  std::vector<AnnotatedSymbol> Symbols;
  // The tier ledger of -fplugin-arg-zaph-tiers=FILE or ZAPH_TIERS (docs/ledger.md), read and
  // checked by the front end before the code generator runs; null without one.
  std::shared_ptr<const zaph_ledger> Ledger;
};

} // namespace zaph

// The record of the last translation unit the front end saw in this process (clang compiles
// the files of one command one after another in the same process). Defined by zaph-frontend.so
// and found by the pass at run time (dlsym), so that the pass plugin needs nothing of clang's
// and loads into opt and lld as well.
#define ZAPH_FRONTEND_RECORD_SYMBOL "zaph_frontend_record"
extern "C" zaph::FrontendRecord *zaph_frontend_record(void);

namespace zaph {

} // namespace zaph

#endif
