// Reads the zaph annotations of a module (from the front-end half and llvm.global.annotations)
// into its ops, and checks each one: a mistake is a diagnostic with file and line, never a
// crash.
#include "Annotations.h"
#include "Frontend.h"
#include "zaph_annotation.h"

extern "C" {
#include "zaph_abi.h"
#include "zaph_profile.h"
}

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalIFunc.h"
#include "llvm/IR/Instructions.h"

#include <dlfcn.h>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using namespace llvm;
using zaph::AnnotatedSymbol;
using zaph::FrontendRecord;
using zaph::frontendRecord;
using zaph::InstrumentedAttr;
using zaph::Op;

namespace {

// A diagnostic about an annotation. clang prints it as "warning: <file>:<line>: zaph: ...".
class AnnotationDiagnostic : public DiagnosticInfo {
  std::string Message;

public:
  AnnotationDiagnostic(DiagnosticSeverity Severity, std::string Message)
      : DiagnosticInfo(kind(), Severity), Message(std::move(Message)) {}
  void print(DiagnosticPrinter &DP) const override { DP << Message; }
  static int kind() {
    static const int Kind = getNextAvailablePluginDiagnosticKind();
    return Kind;
  }
};

StringRef constantString(Value *V) {
  auto *GV = dyn_cast<GlobalVariable>(V->stripPointerCasts());
  if (!GV || !GV->hasInitializer())
    return "";
  auto *Data = dyn_cast<ConstantDataArray>(GV->getInitializer());
  if (!Data || !Data->isCString())
    return "";
  return Data->getAsCString();
}

bool hasPrefix(StringRef S, StringRef Prefix) { return S.take_front(Prefix.size()) == Prefix; }

std::string displayName(const Function &F) {
  std::string Name = F.getName().str();
  return hasPrefix(Name, "_Z") ? demangle(Name) : Name;
}

bool neverInstrument(const Function &F) {
  StringRef N = F.getName();
  return hasPrefix(N, "__zaph") || hasPrefix(N, "llvm.");
}

// The ifunc resolvers of M. The dynamic loader calls them while it relocates the program or
// library, before the runtime (or even the module's own relocations) can be relied on, so a
// counter in one may crash the process before main.
SmallPtrSet<const Function *, 4> ifuncResolvers(Module &M) {
  SmallPtrSet<const Function *, 4> Resolvers;
  for (GlobalIFunc &IFunc : M.ifuncs())
    if (const Function *Resolver = IFunc.getResolverFunction())
      Resolvers.insert(Resolver);
  return Resolvers;
}

// The function a call reaches, through aliases (a complete destructor is often an alias of
// the base-object one).
const Function *calledFunction(const CallBase &Call) {
  const Value *Callee = Call.getCalledOperand()->stripPointerCasts();
  if (const auto *Alias = dyn_cast<GlobalAlias>(Callee))
    Callee = Alias->getAliaseeObject();
  return dyn_cast_or_null<Function>(Callee);
}

// One source-level constructor or destructor is several functions (the Itanium ABI's
// complete, base-object and deleting variants), and each carries the annotation. A variant
// that calls another variant of the same op only delegates to it (deleting -> complete ->
// base-object): it is left out, so that one construction or destruction is one entry. A
// variant with a body of its own (a complete constructor of a class with virtual bases)
// counts.
std::vector<Op> withoutDelegatingVariants(const std::vector<Op> &Ops) {
  std::map<std::tuple<std::string, std::string, unsigned>, SmallPtrSet<const Function *, 4>>
      Variants;
  for (const Op &O : Ops)
    Variants[{O.Name, O.File, O.Line}].insert(O.F);
  std::vector<Op> Kept;
  for (const Op &O : Ops) {
    const SmallPtrSet<const Function *, 4> &Same = Variants[{O.Name, O.File, O.Line}];
    bool Delegates = false;
    for (const BasicBlock &BB : *O.F)
      for (const Instruction &I : BB)
        if (const auto *Call = dyn_cast<CallBase>(&I)) {
          const Function *Callee = calledFunction(*Call);
          Delegates |= Callee && Callee != O.F && Same.count(Callee);
        }
    if (!Delegates)
      Kept.push_back(O);
  }
  return Kept;
}

// One annotation of one global: from llvm.global.annotations or from the front end.
struct Annotation {
  GlobalValue *GV;
  StringRef Text, File;
  unsigned Line;
  std::string Where; // file:line of the annotation itself
};

// The annotations of M: first those the front-end half recorded for this translation unit
// (Frontend.h), which name the definition, then clang's llvm.global.annotations.
std::vector<Annotation> annotations(Module &M) {
  std::vector<Annotation> All;
  DenseSet<std::pair<const GlobalValue *, StringRef>> Known;
  auto Add = [&](const Annotation &A) {
    if (Known.insert({A.GV, A.Text}).second)
      All.push_back(A);
  };
  if (const FrontendRecord *Front = frontendRecord(M))
    for (const AnnotatedSymbol &S : Front->Symbols)
      if (auto *F = dyn_cast_or_null<Function>(M.getNamedValue(S.Symbol))) // not an alias
        Add({F, S.Annotation, S.File, S.Line, S.Where});
  GlobalVariable *Annotations = M.getNamedGlobal("llvm.global.annotations");
  auto *Array = Annotations && Annotations->hasInitializer()
                    ? dyn_cast<ConstantArray>(Annotations->getInitializer())
                    : nullptr;
  for (unsigned I = 0; Array && I < Array->getNumOperands(); I++) {
    auto *Entry = dyn_cast<ConstantStruct>(Array->getOperand(I));
    if (!Entry || Entry->getNumOperands() < 4)
      continue;
    auto *LineC = dyn_cast<ConstantInt>(Entry->getOperand(3));
    StringRef File = constantString(Entry->getOperand(2));
    unsigned Line = LineC ? unsigned(LineC->getZExtValue()) : 0;
    Add({dyn_cast<GlobalValue>(Entry->getOperand(0)->stripPointerCasts()),
         constantString(Entry->getOperand(1)), File, Line, (File + ":" + Twine(Line)).str()});
  }
  return All;
}

// The path of this plugin, as the dynamic loader loaded it.
std::string pluginPath() {
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&pluginPath), &Info) && Info.dli_fname)
    return Info.dli_fname;
  return "zaph-pass.so";
}

} // namespace

const FrontendRecord *zaph::frontendRecord(const Module &M) {
  using Getter = FrontendRecord *(*)();
  auto Get = reinterpret_cast<Getter>(dlsym(RTLD_DEFAULT, ZAPH_FRONTEND_RECORD_SYMBOL));
  const FrontendRecord *Record = Get ? Get() : nullptr;
  return Record && Record->Module == M.getModuleIdentifier() ? Record : nullptr;
}

void zaph::report(Module &M, DiagnosticSeverity Severity, const Twine &What) {
  M.getContext().diagnose(AnnotationDiagnostic(Severity, ("zaph: " + What).str()));
}

void zaph::diagnose(Module &M, DiagnosticSeverity Severity, StringRef File, unsigned Line,
                    const Twine &What) {
  M.getContext().diagnose(
      AnnotationDiagnostic(Severity, (File + ":" + Twine(Line) + ": zaph: " + What).str()));
}

// Finds every zaph-annotated function of M, reporting annotations it cannot honour.
std::vector<Op> zaph::collectOps(Module &M) {
  std::vector<Op> Ops;
  DenseMap<Function *, size_t> Seen; // index in Ops
  const SmallPtrSet<const Function *, 4> Resolvers = ifuncResolvers(M);
  for (const Annotation &A : annotations(M)) {
    StringRef Text = A.Text, File = A.File;
    unsigned Line = A.Line;
    GlobalValue *GV = A.GV;
    if (!isZaphAnnotation(Text.str())) {
      std::string Meant = zaph::misspeltZaphAnnotation(Text.str());
      if (!Meant.empty())
        diagnose(M, DS_Warning, File, Line,
                 "'" + Text + "' is not a zaph annotation and is ignored: did you mean '" +
                     zaph::meantAnnotation(Meant) +
                     "'?");
      continue;
    }
    zaph::AnnotationValues V;
    std::string Problem = zaph::parseAnnotation(Text.str(), V);
    const unsigned Kind = V.Kind, Tier = V.Tier;
    if (!Problem.empty()) {
      diagnose(M, DS_Error, File, Line, Problem);
      continue;
    }
    auto *F = dyn_cast_or_null<Function>(GV);
    if (!F) {
      diagnose(M, DS_Warning, File, Line,
               "'" + Text + "' on variable '" + (GV ? GV->getName() : "?") +
                   "' is ignored: only functions can be ops");
      continue;
    }
    if (F->isDeclaration()) {
      diagnose(M, DS_Warning, File, Line,
               "'" + Text + "' on '" + F->getName() +
                   "', which has no definition here, is ignored: annotate the definition");
      continue;
    }
    if (F->hasFnAttribute(Attribute::Naked)) {
      diagnose(M, DS_Warning, File, Line,
               "cannot count naked function '" + F->getName() + "': it has no prologue");
      continue;
    }
    if (Resolvers.count(F)) {
      diagnose(M, DS_Warning, File, Line,
               "cannot count ifunc resolver '" + F->getName() +
                   "': it runs in the dynamic loader, before the program can count");
      continue;
    }
    if (neverInstrument(*F) || F->hasFnAttribute(InstrumentedAttr))
      continue;
    if (V.TimedLog2 && F->isVarArg()) {
      diagnose(M, DS_Warning, File, Line,
               "cannot time variadic function '" + F->getName() +
                   "': its timed copy could not take its arguments; it is counted, not timed");
      V.TimedLog2 = 0;
      V.TargetNs = 0;
    }
    const std::string &At = A.Where;
    auto Found = Seen.try_emplace(F, Ops.size());
    if (Found.second) {
      Ops.push_back({F, displayName(*F), File.str(), Line, Kind, Tier, Tier ? At : ""});
      Ops.back().Timed = V.TimedLog2;
      Ops.back().TargetNs = V.TargetNs;
      continue;
    }
    Op &Existing = Ops[Found.first->second];
    if (Kind == ZAPH_KIND_REQUEST)
      Existing.Kind = Kind;
    // Of two annotations that time the op, the first's sampling and target stand.
    if (!Existing.Timed)
      Existing.Timed = V.TimedLog2;
    if (!Existing.TargetNs)
      Existing.TargetNs = V.TargetNs;
    if (!Tier || Existing.TierConflict || Tier == Existing.Tier)
      continue;
    if (!Existing.Tier) {
      Existing.Tier = Tier;
      Existing.TierAt = At;
      continue;
    }
    diagnose(M, DS_Warning, File, Line,
             "'" + Existing.Name + "' declares two tiers, " + Twine(Existing.Tier) + " (" +
                 Existing.TierAt + ") and " + Twine(Tier) + " (" + At +
                 "): it is counted with no declared tier");
    Existing.Tier = 0;
    Existing.TierConflict = true;
  }
  // ZAPH_TIMED=N in the compiler's environment times every op the annotations do not.
  if (const char *Every = std::getenv(ZAPH_TIMED_ENV)) {
    const unsigned Timed = zaph::parseSampling(Every);
    if (!Timed && !Ops.empty())
      diagnose(M, DS_Error, Ops[0].File, Ops[0].Line,
               Twine(ZAPH_TIMED_ENV "=") + Every +
                   ": expected a power of two from 1 to " +
                   Twine(1u << ZAPH_TIMED_MAX_LOG2) + " (time one entry in N of every op)");
    for (Op &O : Ops)
      if (Timed && !O.Timed && !O.F->isVarArg())
        O.Timed = Timed;
  }
  return withoutDelegatingVariants(Ops);
}

// Annotations on local variables reach the IR as llvm.var.annotation calls.
void zaph::diagnoseLocalAnnotations(Module &M) {
  for (Function &Intrinsic : M.functions()) {
    if (!hasPrefix(Intrinsic.getName(), "llvm.var.annotation"))
      continue;
    for (User *U : Intrinsic.users()) {
      auto *Call = dyn_cast<CallBase>(U);
      if (!Call || Call->arg_size() < 4)
        continue;
      StringRef Text = constantString(Call->getArgOperand(1));
      if (!isZaphAnnotation(Text.str()))
        continue;
      auto *LineC = dyn_cast<ConstantInt>(Call->getArgOperand(3));
      diagnose(M, DS_Warning, constantString(Call->getArgOperand(2)),
               LineC ? unsigned(LineC->getZExtValue()) : 0,
               "'" + Text + "' on a local variable is ignored: only functions can be ops");
    }
  }
}

// clang compiled M from source in this process without the front-end half (Frontend.cpp):
// annotations clang leaves out of llvm.global.annotations are then lost, unseen.
void zaph::warnWithoutFrontend(Module &M) {
  if (M.getModuleIdentifier() != M.getSourceFileName() || frontendRecord(M))
    return;
  std::string Frontend = pluginPath();
  const size_t Slash = Frontend.rfind('/');
  Frontend = Frontend.substr(0, Slash == std::string::npos ? 0 : Slash + 1) + "zaph-frontend.so";
  M.getContext().diagnose(AnnotationDiagnostic(
      DS_Warning, M.getSourceFileName() +
                      ": zaph: the plugin's front-end half is not loaded: add -fplugin=" +
                      Frontend +
                      " beside -fpass-plugin, without which clang leaves some annotated "
                      "definitions out and they are not counted (docs/design.md)"));
}
