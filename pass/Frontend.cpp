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
#define ZAPH_COMPAT_CLANG
#include "Frontend.h"
#include "compat.h"
#include "zaph_annotation.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"

using namespace clang;

namespace {

bool isZaph(const AnnotateAttr &A) { return zaph::isZaphAnnotation(A.getAnnotation().str()); }

bool hasZaphAnnotation(const Decl &D) {
  for (const AnnotateAttr *A : D.specific_attrs<AnnotateAttr>())
    if (isZaph(*A))
      return true;
  return false;
}

class AnnotatedDefinitions : public RecursiveASTVisitor<AnnotatedDefinitions> {
  ASTContext &Ctx;
  ASTNameGenerator Names;

public:
  explicit AnnotatedDefinitions(ASTContext &Ctx) : Ctx(Ctx), Names(Ctx) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *F) {
    if (!F->doesThisDeclarationHaveABody() || F->isTemplated() || !hasZaphAnnotation(*F))
      return true;
    std::vector<std::string> Symbols = isa<CXXConstructorDecl>(F) || isa<CXXDestructorDecl>(F)
                                           ? Names.getAllManglings(F)
                                           : std::vector<std::string>{Names.getName(F)};
    PresumedLoc Where = Ctx.getSourceManager().getPresumedLoc(F->getLocation());
    for (const AnnotateAttr *A : F->specific_attrs<AnnotateAttr>()) {
      PresumedLoc At = Ctx.getSourceManager().getPresumedLoc(A->getLocation());
      if (!isZaph(*A) || Where.isInvalid() || At.isInvalid())
        continue;
      for (const std::string &Symbol : Symbols)
        zaph_frontend_record()->Symbols.push_back(
            {Symbol, A->getAnnotation().str(), Where.getFilename(), Where.getLine(),
             std::string(At.getFilename()) + ":" + std::to_string(At.getLine())});
    }
    if (isa<CXXDestructorDecl>(F) && F->hasTrivialBody()) {
      SourceLocation Loc = F->getBody()->getBeginLoc();
      Stmt *Empty = new (Ctx) NullStmt(Loc);
      F->setBody(zaph::compoundStatement(Ctx, Empty, Loc, F->getBody()->getEndLoc()));
    }
    return true;
  }
};

class Consumer : public ASTConsumer {
  std::unique_ptr<AnnotatedDefinitions> Visitor;

public:
  void Initialize(ASTContext &Ctx) override {
    Visitor = std::make_unique<AnnotatedDefinitions>(Ctx);
  }
  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      Visitor->TraverseDecl(D);
    return true;
  }
  void HandleInlineFunctionDefinition(FunctionDecl *F) override { Visitor->TraverseDecl(F); }
};

class Action : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, StringRef InFile) override {
    *zaph_frontend_record() = {InFile.str(), {}};
    return std::make_unique<Consumer>();
  }
  bool ParseArgs(const CompilerInstance &, const std::vector<std::string> &) override {
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
