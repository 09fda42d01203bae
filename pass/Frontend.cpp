// The front-end half of the plugin (`clang -fplugin=zaph-frontend.so`): it runs ahead of clang's
// code generator on every declaration, and makes every annotated definition reach the pass:
// - It records each zaph-annotated function definition by its IR symbol (every variant of a
//   constructor or destructor) in zaph_frontend_record() (Frontend.h), because clang's
//   llvm.global.annotations misses some: clang 15 and later take the annotations of the
//   declaration a call first referred to (a function declared without ZAPH_OP, used, then
//   defined with it, has none), and clang 14 emits none for constructors and destructors.
// - At -O1 and up clang emits a destructor whose body is empty as an alias of its base class's
//   destructor, so the class's own destructor has no code to count in. An annotated destructor
//   is given a body of one empty statement, which generates nothing and is not "trivial".
// - It reads the list file (include/zaph_list.h) named by -fplugin-arg-zaph-list=FILE or
//   ZAPH_LIST=FILE, and records each listed definition as if it were annotated, with the
//   annotations its line declares, so the pass cannot tell a listed op from an annotated one.
// - It reads the tier ledger (include/zaph_ledger.h) named by -fplugin-arg-zaph-tiers=FILE or
//   ZAPH_TIERS=FILE, so a missing or malformed one stops the compilation with the reader's
//   message, and hands it to the pass, which marks the ops it assigns Tier 1 hot and Tier 3
//   cold (pass/Tiers.cpp).
#define ZAPH_COMPAT_CLANG
#include "Frontend.h"
#include "compat.h"
#include "zaph_annotation.h"
#include "zaph_ledger.h"
#include "zaph_list.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Demangle/Demangle.h"

#include <cstdlib>

using namespace clang;

namespace {

bool isZaph(const AnnotateAttr &A) { return zaph::isZaphAnnotation(A.getAnnotation().str()); }

bool hasZaphAnnotation(const Decl &D) {
  for (const AnnotateAttr *A : D.specific_attrs<AnnotateAttr>())
    if (isZaph(*A))
      return true;
  return false;
}

// The list file, read once per translation unit; null without one.
struct ListDeleter {
  void operator()(zaph_list *List) const { zaph_list_free(List); }
};
using ListFile = std::unique_ptr<zaph_list, ListDeleter>;

// A front-end message, "zaph: ..." (the list file's mistakes carry its own file and line).
void report(DiagnosticsEngine &Diags, DiagnosticsEngine::Level Level, const std::string &What) {
  Diags.Report(Diags.getCustomDiagID(Level, "zaph: %0")) << What;
}

// The annotations a list line gives a function: what ZAPH_OP, ZAPH_REQUEST or ZAPH_OP_TIER(n)
// would have, and zaph_op:timed=N for a timed one.
std::vector<std::string> listedAnnotations(unsigned Kind, unsigned Tier, unsigned Timed) {
  std::vector<std::string> Texts = {Kind == ZAPH_KIND_REQUEST ? ZAPH_ANNOTATION_REQUEST
                                                              : ZAPH_ANNOTATION_OP};
  if (Tier)
    Texts.push_back(ZAPH_ANNOTATION_TIER_PREFIX + std::to_string(Tier));
  if (Timed)
    Texts.push_back(ZAPH_ANNOTATION_OP ":timed=" + std::to_string(1ull << (Timed - 1)));
  return Texts;
}

class AnnotatedDefinitions : public RecursiveASTVisitor<AnnotatedDefinitions> {
  ASTContext &Ctx;
  ASTNameGenerator Names;
  zaph_list *List;

  void record(const std::vector<std::string> &Symbols, const std::string &Annotation,
              PresumedLoc Where, PresumedLoc At) {
    for (const std::string &Symbol : Symbols)
      zaph_frontend_record()->Symbols.push_back(
          {Symbol, Annotation, Where.getFilename(), Where.getLine(),
           std::string(At.getFilename()) + ":" + std::to_string(At.getLine())});
  }

public:
  AnnotatedDefinitions(ASTContext &Ctx, zaph_list *List) : Ctx(Ctx), Names(Ctx), List(List) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  // Defaulted functions (`~T() = default;`) whose body clang had not made when they were seen:
  // it makes it where they are first used, and emits them at the end of the unit.
  std::vector<FunctionDecl *> Defaulted;

  bool VisitFunctionDecl(FunctionDecl *F) {
    if (F->isTemplated() || (!List && !hasZaphAnnotation(*F)))
      return true;
    if (!F->doesThisDeclarationHaveABody()) {
      if (F->isDefaulted())
        Defaulted.push_back(F);
      return true;
    }
    PresumedLoc Where = Ctx.getSourceManager().getPresumedLoc(F->getLocation());
    if (Where.isInvalid())
      return true;
    std::vector<std::string> Symbols = isa<CXXConstructorDecl>(F) || isa<CXXDestructorDecl>(F)
                                           ? Names.getAllManglings(F)
                                           : std::vector<std::string>{Names.getName(F)};
    unsigned Kind = 0, Tier = 0, Timed = 0;
    const bool Listed =
        List && !Symbols.empty() &&
        zaph_list_match_timed(List, llvm::demangle(Symbols[0]).c_str(), Where.getFilename(),
                              &Kind, &Tier, &Timed);
    if (!Listed && !hasZaphAnnotation(*F))
      return true;
    for (const AnnotateAttr *A : F->specific_attrs<AnnotateAttr>()) {
      PresumedLoc At = Ctx.getSourceManager().getPresumedLoc(A->getLocation());
      if (isZaph(*A) && At.isValid())
        record(Symbols, A->getAnnotation().str(), Where, At);
    }
    if (Listed)
      for (const std::string &Annotation : listedAnnotations(Kind, Tier, Timed))
        record(Symbols, Annotation, Where, Where);
    if (isa<CXXDestructorDecl>(F) && F->hasTrivialBody()) {
      SourceLocation Loc = F->getBody()->getBeginLoc();
      Stmt *Empty = new (Ctx) NullStmt(Loc);
      F->setBody(zaph::compoundStatement(Ctx, Empty, Loc, F->getBody()->getEndLoc()));
    }
    return true;
  }
};

class Consumer : public ASTConsumer {
  DiagnosticsEngine &Diags;
  ListFile List;
  std::unique_ptr<AnnotatedDefinitions> Visitor;

public:
  Consumer(DiagnosticsEngine &Diags, ListFile List) : Diags(Diags), List(std::move(List)) {}
  void Initialize(ASTContext &Ctx) override {
    Visitor = std::make_unique<AnnotatedDefinitions>(Ctx, List.get());
  }
  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      Visitor->TraverseDecl(D);
    return true;
  }
  void HandleInlineFunctionDefinition(FunctionDecl *F) override { Visitor->TraverseDecl(F); }
  void HandleTranslationUnit(ASTContext &) override {
    // Ahead of the code generator's end of the unit, which emits the defaulted ones.
    for (FunctionDecl *F : Visitor->Defaulted)
      if (F->doesThisDeclarationHaveABody())
        Visitor->VisitFunctionDecl(F);
    if (List && zaph_list_verbose())
      zaph_list_unmatched(
          List.get(),
          [](const char *What, void *D) {
            report(*static_cast<DiagnosticsEngine *>(D), DiagnosticsEngine::Warning, What);
          },
          &Diags);
  }
};

// The ledger at Path, or null after reporting why it cannot be used.
std::shared_ptr<const zaph_ledger> readLedger(DiagnosticsEngine &Diags, const std::string &Path) {
  char Error[512];
  zaph_ledger *Ledger = zaph_ledger_read(Path.c_str(), Error, sizeof Error);
  if (!Ledger) {
    report(Diags, DiagnosticsEngine::Error, Error); // the message has the file and position
    return nullptr;
  }
  return std::shared_ptr<const zaph_ledger>(
      Ledger, [](const zaph_ledger *L) { zaph_ledger_free(const_cast<zaph_ledger *>(L)); });
}

class Action : public PluginASTAction {
  std::string ListPath;  // -fplugin-arg-zaph-list=FILE
  std::string TiersPath; // -fplugin-arg-zaph-tiers=FILE

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef InFile) override {
    *zaph_frontend_record() = {InFile.str(), {}, nullptr};
    std::string Tiers = TiersPath;
    if (Tiers.empty() && std::getenv(ZAPH_TIERS_ENV))
      Tiers = std::getenv(ZAPH_TIERS_ENV);
    if (!Tiers.empty())
      zaph_frontend_record()->Ledger = readLedger(CI.getDiagnostics(), Tiers);
    std::string Path = ListPath;
    if (Path.empty() && std::getenv(ZAPH_LIST_ENV))
      Path = std::getenv(ZAPH_LIST_ENV);
    ListFile List;
    if (!Path.empty()) {
      char Error[512];
      List.reset(zaph_list_read(Path.c_str(), Error, sizeof Error));
      if (!List)
        report(CI.getDiagnostics(), DiagnosticsEngine::Error, Error);
    }
    return std::make_unique<Consumer>(CI.getDiagnostics(), std::move(List));
  }
  // clang passes -fplugin-arg-zaph-NAME=VALUE as "NAME=VALUE".
  bool ParseArgs(const CompilerInstance &CI, const std::vector<std::string> &Args) override {
    for (const std::string &Arg : Args) {
      if (Arg.compare(0, 5, "list=") == 0) {
        ListPath = Arg.substr(5);
        continue;
      }
      if (Arg.compare(0, 6, "tiers=") == 0) {
        TiersPath = Arg.substr(6);
        continue;
      }
      report(CI.getDiagnostics(), DiagnosticsEngine::Error,
             "unknown plugin argument '" + Arg + "' (known: list=FILE, tiers=FILE)");
      return false;
    }
    return true;
  }
  // Ahead of the code generator, on every compilation that loads the plugin.
  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static FrontendPluginRegistry::Add<Action>
    Registration("zaph", "makes every zaph-annotated definition an op");

extern "C" __attribute__((visibility("default"))) zaph::FrontendRecord *
zaph_frontend_record(void) {
  static zaph::FrontendRecord Record;
  return &Record;
}
