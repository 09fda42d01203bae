// Instrumentation for zaph ops: reads llvm.global.annotations, checks each zaph annotation
// (mistakes are diagnostics with file and line), inserts the inline counter of
// include/zaph_abi.h at the entry of every annotated function, and emits the op table plus a
// constructor that registers it with the runtime.
#include "ZaphPass.h"
#include "Frontend.h"
#include "compat.h"

extern "C" {
#include "zaph_abi.h"
#include "zaph_profile.h"
}

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalIFunc.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <dlfcn.h>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using namespace llvm;
using zaph::AnnotatedSymbol;
using zaph::FrontendRecord;

namespace {

// Set on every function the pass has instrumented, so a second run (an LTO link that loads the
// plugin again) leaves it alone.
const char *const InstrumentedAttr = "zaph-instrumented";

// The priority of the constructor that registers a module and of the destructor that
// unregisters it: the first one not reserved for the implementation, so that they run before
// (and after) the program's own constructors (and destructors) of default priority.
const int RegistrationPriority = 101;

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

void diagnose(Module &M, DiagnosticSeverity Severity, StringRef File, unsigned Line,
              const Twine &What) {
  M.getContext().diagnose(
      AnnotationDiagnostic(Severity, (File + ":" + Twine(Line) + ": zaph: " + What).str()));
}

struct Op {
  Function *F;
  std::string Name;
  std::string File;
  unsigned Line;
  unsigned Kind;
  unsigned Tier;
  std::string TierAt;       // file:line of the annotation that declared Tier
  bool TierConflict = false; // two annotations declared different tiers
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

bool isZaphAnnotation(StringRef A) { return hasPrefix(A, ZAPH_ANNOTATION_PREFIX); }

// The annotation A was probably meant to be, if it looks like a zaph annotation spelt another
// way ("zaph-op", "ZAPH_OP", "Zaph_Request"): lower case, '-' for '_'. Empty when it does not.
std::string misspeltZaphAnnotation(StringRef A) {
  std::string Folded = A.lower();
  for (char &C : Folded)
    if (C == '-')
      C = '_';
  if (!isZaphAnnotation(Folded) && Folded != "zaph")
    return "";
  return Folded == "zaph" ? ZAPH_ANNOTATION_OP : Folded;
}

// Reads a zaph annotation; returns an error message, empty when it is valid.
std::string parseAnnotation(StringRef A, unsigned &Kind, unsigned &Tier) {
  const StringRef TierPrefix = ZAPH_ANNOTATION_TIER_PREFIX;
  Tier = 0;
  Kind = ZAPH_KIND_OP;
  if (A == ZAPH_ANNOTATION_OP)
    return "";
  if (A == ZAPH_ANNOTATION_REQUEST) {
    Kind = ZAPH_KIND_REQUEST;
    return "";
  }
  if (hasPrefix(A, TierPrefix)) {
    StringRef Value = A.drop_front(TierPrefix.size());
    if (Value == "1" || Value == "2" || Value == "3") {
      Tier = unsigned(Value[0] - '0');
      return "";
    }
    return ("invalid tier '" + Value + "' in annotation '" + A + "': a tier is 1, 2 or 3").str();
  }
  return ("unknown annotation '" + A +
          "' (known: " ZAPH_ANNOTATION_OP ", " ZAPH_ANNOTATION_REQUEST
          ", " ZAPH_ANNOTATION_TIER_PREFIX "1, " ZAPH_ANNOTATION_TIER_PREFIX
          "2, " ZAPH_ANNOTATION_TIER_PREFIX "3)")
      .str();
}

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

// What the front-end half (zaph-frontend.so, if clang loaded it) recorded of M's translation
// unit, or null.
const FrontendRecord *frontendRecord(const Module &M) {
  using Getter = FrontendRecord *(*)();
  auto Get = reinterpret_cast<Getter>(dlsym(RTLD_DEFAULT, ZAPH_FRONTEND_RECORD_SYMBOL));
  const FrontendRecord *Record = Get ? Get() : nullptr;
  return Record && Record->Module == M.getModuleIdentifier() ? Record : nullptr;
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

// Finds every zaph-annotated function of M, reporting annotations it cannot honour.
std::vector<Op> collectOps(Module &M) {
  std::vector<Op> Ops;
  DenseMap<Function *, size_t> Seen; // index in Ops
  const SmallPtrSet<const Function *, 4> Resolvers = ifuncResolvers(M);
  for (const Annotation &A : annotations(M)) {
    StringRef Text = A.Text, File = A.File;
    unsigned Line = A.Line;
    GlobalValue *GV = A.GV;
    if (!isZaphAnnotation(Text)) {
      std::string Meant = misspeltZaphAnnotation(Text);
      unsigned K, Tr;
      if (!Meant.empty())
        diagnose(M, DS_Warning, File, Line,
                 "'" + Text + "' is not a zaph annotation and is ignored: did you mean '" +
                     (parseAnnotation(Meant, K, Tr).empty() ? Meant : ZAPH_ANNOTATION_OP) +
                     "'?");
      continue;
    }
    unsigned Kind, Tier;
    std::string Problem = parseAnnotation(Text, Kind, Tier);
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
    const std::string &At = A.Where;
    auto Found = Seen.try_emplace(F, Ops.size());
    if (Found.second) {
      Ops.push_back({F, displayName(*F), File.str(), Line, Kind, Tier, Tier ? At : ""});
      continue;
    }
    Op &Existing = Ops[Found.first->second];
    if (Kind == ZAPH_KIND_REQUEST)
      Existing.Kind = Kind;
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
  return withoutDelegatingVariants(Ops);
}

// Annotations on local variables reach the IR as llvm.var.annotation calls.
void diagnoseLocalAnnotations(Module &M) {
  for (Function &Intrinsic : M.functions()) {
    if (!hasPrefix(Intrinsic.getName(), "llvm.var.annotation"))
      continue;
    for (User *U : Intrinsic.users()) {
      auto *Call = dyn_cast<CallBase>(U);
      if (!Call || Call->arg_size() < 4)
        continue;
      StringRef Text = constantString(Call->getArgOperand(1));
      if (!isZaphAnnotation(Text))
        continue;
      auto *LineC = dyn_cast<ConstantInt>(Call->getArgOperand(3));
      diagnose(M, DS_Warning, constantString(Call->getArgOperand(2)),
               LineC ? unsigned(LineC->getZExtValue()) : 0,
               "'" + Text + "' on a local variable is ignored: only functions can be ops");
    }
  }
}

// Keeps every call of a const/pure op: the optimizer may merge or drop calls of a function
// without side effects, and each lost call is a lost count.
void keepEveryCall(Module &M, const Op &O) {
  if (!zaph::stripMemoryEffects(*O.F))
    return;
  for (User *U : O.F->users())
    if (auto *Call = dyn_cast<CallBase>(U))
      if (Call->getCalledOperand() == O.F)
        zaph::stripMemoryEffects(*Call);
  diagnose(M, DS_Warning, O.File, O.Line,
           "'" + O.Name +
               "' is declared const or pure; its calls here are kept, but calls from other "
               "translation units through such a declaration may be merged or removed and "
               "then not counted");
}

// The IR view of include/zaph_abi.h, for a module of NumOps ops.
struct AbiTypes {
  Type *I8, *I32, *I64;
  PointerType *I8Ptr, *I64Ptr;
  StructType *Desc, *ModuleDesc;
  ArrayType *Slot, *Tls;
  FunctionType *VoidFn, *PtrFn, *ColdFn, *RegisterFn;
  // The fields of struct zaph_module the inline code reads, by IR struct index.
  enum ModuleField : unsigned { ModuleBase = 2, ModuleEpochOffset = 6, ModuleShared = 7 };
  AbiTypes(LLVMContext &Ctx, size_t NumOps) {
    I8 = Type::getInt8Ty(Ctx);
    I32 = Type::getInt32Ty(Ctx);
    I64 = Type::getInt64Ty(Ctx);
    I8Ptr = zaph::pointerTo(I8);
    I64Ptr = zaph::pointerTo(I64);
    Desc = StructType::get(Ctx, {I8Ptr, I8Ptr, I32, I32, I32, I32}); // struct zaph_op_desc
    Type *Void = Type::getVoidTy(Ctx);
    VoidFn = FunctionType::get(Void, false);
    PtrFn = FunctionType::get(Void, {I8Ptr}, false);
    ColdFn = FunctionType::get(Void, {I8Ptr, I32, I8Ptr}, false);
    RegisterFn = FunctionType::get(Void, {I8Ptr, I8Ptr, I8Ptr, I8Ptr}, false);
    ModuleDesc = StructType::get( // struct zaph_module, with its n_ops shared flags
        Ctx, {I32, I32, I64, zaph::pointerTo(VoidFn), I32, I32, I64, ArrayType::get(I8, NumOps)});
    Slot = ArrayType::get(I64, ZAPH_SLOT_WORDS);
    Tls = ArrayType::get(I64, sizeof(struct zaph_tls) / 8); // struct zaph_tls
  }
};

// Where this module's hot slots live (zaph_abi.h): a module headed for an executable (PIE or
// not PIC) gets its own local-exec thread_local array, the cheapest counter there is; a PIC
// module, which may become part of a shared library, uses the thread's block.
bool headedForExecutable(const Module &M) {
  return M.getPIELevel() != PIELevel::Default || M.getPICLevel() == PICLevel::NotPIC;
}

// Instruments the ops of one module. Built once per module, it emits what the module's ops
// share (the op table, the module descriptor and its constructor, the counters and epoch of an
// executable's module) and holds it with the IR types of include/zaph_abi.h and the runtime's
// functions, then inserts the counter at each op's entry.
class ModuleInstrumenter {
public:
  ModuleInstrumenter(Module &M, const std::vector<Op> &Ops);
  void instrumentAll();

private:
  class EntryEmitter;

  Module &M;
  LLVMContext &Ctx;
  const std::vector<Op> &Ops;
  const AbiTypes T;
  const bool Executable;
  const bool X86_64;
  // An executable's module: its thread_local hot slots and the executable's epoch.
  GlobalVariable *Counters = nullptr, *ExeEpoch = nullptr;
  // Any other module: __zaph_tls, the runtime's initial-exec TLS struct, which locates both.
  GlobalVariable *ZaphTls = nullptr;
  GlobalVariable *Table = nullptr, *ModuleGV = nullptr;
  FunctionCallee RequestEnter, EnterShared, EnterSlow;

  Constant *stringConstant(StringRef S);
  void emitCounters();
  void emitExeEpoch();
  void emitTls();
  void emitOpTable();
  void emitModuleDescriptor(Function *Ctor);
  Function *createRegistration();
  void emitRegistrationBody(Function *Ctor);
  void emitUnregistration();
  FunctionCallee coldFunction(const char *Name);
  void instrument(const Op &O, unsigned Index);
};

ModuleInstrumenter::ModuleInstrumenter(Module &M, const std::vector<Op> &Ops)
    : M(M), Ctx(M.getContext()), Ops(Ops), T(Ctx, Ops.size()),
      Executable(headedForExecutable(M)), X86_64(zaph::isX86_64(M)) {
  if (Executable) {
    emitCounters();
    emitExeEpoch();
  }
  emitOpTable();
  Function *Ctor = createRegistration();
  emitModuleDescriptor(Ctor);
  emitRegistrationBody(Ctor);
  if (!Executable) {
    emitUnregistration();
    emitTls();
  }
  for (const Op &O : Ops)
    if (O.Kind == ZAPH_KIND_REQUEST) {
      RequestEnter = M.getOrInsertFunction(ZAPH_REQUEST_ENTER_SYMBOL, T.VoidFn);
      break;
    }
  // On x86-64 the cold calls go through the trampolines, named in inline assembly.
  if (!X86_64) {
    EnterShared = coldFunction(ZAPH_ENTER_SHARED_SYMBOL);
    EnterSlow = coldFunction(ZAPH_ENTER_SLOW_SYMBOL);
  }
}

void ModuleInstrumenter::instrumentAll() {
  for (unsigned I = 0; I < Ops.size(); I++) {
    keepEveryCall(M, Ops[I]);
    instrument(Ops[I], I);
  }
}

Constant *ModuleInstrumenter::stringConstant(StringRef S) {
  Constant *Data = ConstantDataArray::getString(Ctx, S);
  auto *GV = new GlobalVariable(M, Data->getType(), true, GlobalValue::PrivateLinkage, Data,
                                "zaph.str");
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(1));
  return ConstantExpr::getPointerCast(GV, T.I8Ptr);
}

void ModuleInstrumenter::emitCounters() {
  ArrayType *Ty = ArrayType::get(T.Slot, Ops.size());
  Counters = new GlobalVariable(M, Ty, false, GlobalValue::InternalLinkage,
                                ConstantAggregateZero::get(Ty), "zaph.counters", nullptr,
                                GlobalValue::LocalExecTLSModel);
  Counters->setAlignment(Align(ZAPH_SLOT_SIZE));
}

// The executable's epoch: one link-once copy per module, merged by the linker into one
// hidden local-exec thread_local of the executable.
void ModuleInstrumenter::emitExeEpoch() {
  ExeEpoch = M.getNamedGlobal(ZAPH_EXE_EPOCH_SYMBOL);
  if (ExeEpoch)
    return;
  ExeEpoch = new GlobalVariable(M, T.I64, false, GlobalValue::LinkOnceODRLinkage,
                                ConstantInt::get(T.I64, ZAPH_EPOCH_NONE), ZAPH_EXE_EPOCH_SYMBOL,
                                nullptr, GlobalValue::LocalExecTLSModel);
  ExeEpoch->setVisibility(GlobalValue::HiddenVisibility);
  ExeEpoch->setComdat(M.getOrInsertComdat(ZAPH_EXE_EPOCH_SYMBOL));
  ExeEpoch->setAlignment(Align(8));
}

void ModuleInstrumenter::emitTls() {
  ZaphTls = M.getNamedGlobal(ZAPH_TLS_SYMBOL);
  if (!ZaphTls)
    ZaphTls = new GlobalVariable(M, T.Tls, false, GlobalValue::ExternalLinkage, nullptr,
                             ZAPH_TLS_SYMBOL, nullptr, GlobalValue::InitialExecTLSModel);
}

void ModuleInstrumenter::emitOpTable() {
  std::vector<Constant *> Descs;
  for (const Op &O : Ops)
    Descs.push_back(ConstantStruct::get(
        T.Desc, {stringConstant(O.Name), stringConstant(O.File), ConstantInt::get(T.I32, O.Line),
                 ConstantInt::get(T.I32, O.Kind), ConstantInt::get(T.I32, O.Tier),
                 ConstantInt::get(T.I32, 0)}));
  Constant *Init = ConstantArray::get(ArrayType::get(T.Desc, Descs.size()), Descs);
  Table = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage, Init,
                             "zaph.ops");
}

// The module descriptor points at its constructor, never at the op table (zaph_abi.h).
void ModuleInstrumenter::emitModuleDescriptor(Function *Ctor) {
  Constant *Init = ConstantStruct::get(
      T.ModuleDesc,
      {ConstantInt::get(T.I32, ZAPH_ABI_VERSION), ConstantInt::get(T.I32, Ops.size()),
       ConstantInt::get(T.I64, ZAPH_MODULE_BASE_INIT),
       ConstantExpr::getPointerCast(Ctor, zaph::pointerTo(T.VoidFn)),
       ConstantInt::get(T.I32, Executable ? ZAPH_MODULE_TLS : 0), ConstantInt::get(T.I32, 0),
       ConstantInt::get(T.I64, ZAPH_TLS_NONE),
       ConstantAggregateZero::get(ArrayType::get(T.I8, Ops.size()))});
  ModuleGV = new GlobalVariable(M, T.ModuleDesc, false, GlobalValue::InternalLinkage, Init,
                                "zaph.module");
  ModuleGV->setAlignment(Align(8));
}

// A constructor that registers the module, so ops that never run are still in the profile.
// The descriptor points at it, and its body at the descriptor.
Function *ModuleInstrumenter::createRegistration() {
  Function *Ctor =
      Function::Create(T.VoidFn, GlobalValue::InternalLinkage, "zaph.register", &M);
  Ctor->addFnAttr(Attribute::NoUnwind);
  appendToGlobalCtors(M, Ctor, RegistrationPriority);
  return Ctor;
}

void ModuleInstrumenter::emitRegistrationBody(Function *Ctor) {
  IRBuilder<> B(BasicBlock::Create(Ctx, "", Ctor));
  auto TlsAddress = [&](GlobalVariable *GV) -> Value * {
    return GV ? B.CreatePointerCast(zaph::threadLocalAddress(B, GV), T.I8Ptr)
              : ConstantPointerNull::get(T.I8Ptr);
  };
  B.CreateCall(M.getOrInsertFunction(ZAPH_REGISTER_SYMBOL, T.RegisterFn),
               {B.CreatePointerCast(ModuleGV, T.I8Ptr), B.CreatePointerCast(Table, T.I8Ptr),
                TlsAddress(Counters), TlsAddress(ExeEpoch)});
  B.CreateRetVoid();
}

// A destructor that unregisters a module that may be unloaded (a PIC one, perhaps in a
// dlclose()d library), so a copy of its ops loaded later is not taken for a second copy.
void ModuleInstrumenter::emitUnregistration() {
  Function *Dtor =
      Function::Create(T.VoidFn, GlobalValue::InternalLinkage, "zaph.unregister", &M);
  Dtor->addFnAttr(Attribute::NoUnwind);
  appendToGlobalDtors(M, Dtor, RegistrationPriority);
  IRBuilder<> B(BasicBlock::Create(Ctx, "", Dtor));
  B.CreateCall(M.getOrInsertFunction(ZAPH_UNREGISTER_SYMBOL, T.PtrFn),
               {B.CreatePointerCast(ModuleGV, T.I8Ptr)});
  B.CreateRetVoid();
}

FunctionCallee ModuleInstrumenter::coldFunction(const char *Name) {
  FunctionCallee Cold = M.getOrInsertFunction(Name, T.ColdFn);
  if (auto *Fn = dyn_cast<Function>(Cold.getCallee())) {
    Fn->setCallingConv(CallingConv::PreserveMost);
    Fn->addFnAttr(Attribute::Cold);
    Fn->addFnAttr(Attribute::NoUnwind);
  }
  return Cold;
}

// Emits zaph_count_entry() of include/zaph_abi.h at one op's entry, block by block.
class ModuleInstrumenter::EntryEmitter {
  const ModuleInstrumenter &MI;
  const AbiTypes &T;
  Function &F;
  IRBuilder<> B;
  BasicBlock *Rest;
  // Under ThreadSanitizer the counters are accessed as what they are, memory another thread
  // (the dump) reads: monotonic atomics, which are still plain moves. Elsewhere plain accesses
  // let the backend fold each update into one instruction.
  const bool Atomic;

public:
  EntryEmitter(const ModuleInstrumenter &MI, Function &F, BasicBlock *Entry, BasicBlock *Rest)
      : MI(MI), T(MI.T), F(F), B(Entry), Rest(Rest),
        Atomic(F.hasFnAttribute(Attribute::SanitizeThread)) {
    // Every inserted instruction carries a location: an inlinable call without one in a
    // function with debug info is invalid IR once it is inlined (-g with -flto).
    if (DISubprogram *SP = F.getSubprogram())
      B.SetCurrentDebugLocation(DILocation::get(MI.Ctx, SP->getLine(), 0, SP));
  }

  IRBuilder<> &builder() { return B; }

  BasicBlock *block(const char *Name) { return BasicBlock::Create(MI.Ctx, Name, &F, Rest); }

  // Monotonic forces a load the optimizer must not merge with an earlier one of the same
  // word, so that the earlier one stays a single memory operand of its compare.
  Value *load(Type *Ty, Value *Ptr, const char *Name, bool Monotonic = false) {
    LoadInst *L = B.CreateLoad(Ty, Ptr, Name);
    if (Atomic || Monotonic)
      L->setAtomic(AtomicOrdering::Monotonic);
    return L;
  }

  void store(Value *V, Value *Ptr) {
    StoreInst *S = B.CreateStore(V, Ptr);
    if (Atomic)
      S->setAtomic(AtomicOrdering::Monotonic);
  }

  // *Ptr += Delta, or -= when Subtract.
  void add(Value *Ptr, Value *Delta, bool Subtract = false) {
    Value *Old = load(T.I64, Ptr, "zaph.old");
    store(Subtract ? B.CreateSub(Old, Delta) : B.CreateAdd(Old, Delta), Ptr);
  }

  Value *word(Value *Slot, unsigned Offset, const char *Name) {
    return B.CreatePointerCast(B.CreateConstInBoundsGEP1_64(T.I8, Slot, Offset, Name),
                               T.I64Ptr);
  }

  // The address of a field of this module's descriptor.
  Value *moduleField(AbiTypes::ModuleField Field) {
    return B.CreateStructGEP(T.ModuleDesc, MI.ModuleGV, Field);
  }

  void branch(Value *Cond, BasicBlock *Likely, BasicBlock *Unlikely) {
    B.CreateCondBr(Cond, Likely, Unlikely, MDBuilder(MI.Ctx).createBranchWeights(1u << 20, 1));
  }

  // A cold call of the runtime. On x86-64 it goes through a trampoline called from inline
  // assembly (runtime/trampoline_x86_64.S): the function then has no call that needs a stack
  // frame, so its hot path has none either. Elsewhere it is a preserve_most call.
  void callCold(FunctionCallee Cold, const char *Trampoline, unsigned Index, Value *Slot) {
    Value *Module = B.CreatePointerCast(MI.ModuleGV, T.I8Ptr);
    if (MI.X86_64) {
      // Through the GOT, which the dynamic linker fills at load time: a lazily bound PLT
      // entry would clobber %r10 and %r11 on its first call.
      std::string Asm = std::string("leaq -128(%rsp), %rsp\n\tmovl $$") +
                        std::to_string(Index) + ", %r11d\n\tcall *" + Trampoline +
                        "@GOTPCREL(%rip)\n\tleaq 128(%rsp), %rsp";
      // The runtime may use every vector register the function's target has (glibc's
      // string functions use the upper sixteen and the mask registers under AVX-512).
      std::string Clobbers = "{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}";
      const bool Avx512 = F.getFnAttribute("target-features").getValueAsString().contains(
          "+avx512f");
      for (int X = 0; X < (Avx512 ? 32 : 16); X++)
        Clobbers += ",~{xmm" + std::to_string(X) + "}";
      for (int K = 0; Avx512 && K < 8; K++)
        Clobbers += ",~{k" + std::to_string(K) + "}";
      InlineAsm *Call = InlineAsm::get(T.PtrFn, Asm, Clobbers, /*hasSideEffects=*/true);
      B.CreateCall(Call, {Module})->setDoesNotThrow();
      return;
    }
    CallInst *Call = B.CreateCall(Cold, {Module, ConstantInt::get(T.I32, Index), Slot});
    Call->setCallingConv(CallingConv::PreserveMost);
    Call->setDoesNotThrow();
  }
};

// Inserts, after the entry block's allocas:
//   [__zaph_request_enter();]                                      for a request function
//   hot = &zaph.counters[Index], epoch = __zaph_exe_epoch          executable module
//   hot = self + module.base + Index * 32,
//   epoch = *(&__zaph_tls + module.epoch_offset)                   block module
//   zaph_count_entry(&module, Index, hot, epoch)                   (include/zaph_abi.h)
void ModuleInstrumenter::instrument(const Op &O, unsigned Index) {
  Function &F = *O.F;
  BasicBlock &Entry = F.getEntryBlock();
  BasicBlock::iterator IP = Entry.getFirstInsertionPt();
  while (isa<AllocaInst>(*IP))
    ++IP;
  BasicBlock *Rest = Entry.splitBasicBlock(IP, "zaph.rest");
  Entry.getTerminator()->eraseFromParent();

  EntryEmitter E(*this, F, &Entry, Rest);
  IRBuilder<> &B = E.builder();
  if (O.Kind == ZAPH_KIND_REQUEST)
    B.CreateCall(RequestEnter)->setDoesNotThrow();
  Value *Slot, *EpochPtr;
  if (Executable) {
    Slot = B.CreateConstInBoundsGEP2_64(Counters->getValueType(),
                                        zaph::threadLocalAddress(B, Counters), 0, Index,
                                        "zaph.slot");
    EpochPtr = zaph::threadLocalAddress(B, ExeEpoch);
  } else {
    Value *Block = B.CreatePointerCast(zaph::threadLocalAddress(B, ZaphTls), T.I8Ptr);
    Value *Self = E.load(T.I8Ptr, B.CreatePointerCast(Block, zaph::pointerTo(T.I8Ptr)),
                         "zaph.self");
    Value *EpochOffset =
        B.CreateLoad(T.I64, E.moduleField(AbiTypes::ModuleEpochOffset), "zaph.epoch_offset");
    EpochPtr = B.CreateInBoundsGEP(T.I8, Block, EpochOffset);
    Value *Base = B.CreateLoad(T.I64, E.moduleField(AbiTypes::ModuleBase), "zaph.base");
    Value *Offset =
        B.CreateAdd(Base, ConstantInt::get(T.I64, uint64_t(Index) * ZAPH_SLOT_SIZE));
    Slot = B.CreateInBoundsGEP(T.I8, Self, Offset, "zaph.slot");
  }
  Slot = B.CreatePointerCast(Slot, T.I8Ptr);
  Value *Entries = E.word(Slot, ZAPH_SLOT_ENTRIES, "zaph.entries"),
        *Seen = E.word(Slot, ZAPH_SLOT_SEEN, "zaph.seen"),
        *Touched = E.word(Slot, ZAPH_SLOT_TOUCHED, "zaph.touched"),
        *OutsideBase = E.word(Slot, ZAPH_SLOT_OUTSIDE_BASE, "zaph.outside_base");
  Value *One = ConstantInt::get(T.I64, 1);
  Value *Epoch = E.load(T.I64, B.CreatePointerCast(EpochPtr, T.I64Ptr), "zaph.epoch");
  Value *Zero = ConstantInt::get(T.I64, 0);

  BasicBlock *Count = E.block("zaph.count"), *First = E.block("zaph.first"),
             *NotBoth = E.block("zaph.not_both"), *ToOutside = E.block("zaph.to_outside"),
             *NotOutside = E.block("zaph.not_outside"),
             *FromOutside = E.block("zaph.from_outside"), *Touch = E.block("zaph.touch"),
             *Shared = E.block("zaph.shared"), *Slow = E.block("zaph.slow");
  // seen == epoch: count and go on.
  E.branch(B.CreateICmpEQ(E.load(T.I64, Seen, "zaph.seen"), Epoch), Count, First);
  B.SetInsertPoint(Count);
  E.add(Entries, One);
  B.CreateBr(Rest);
  // Both inside requests (sign bits): the op's first entry in this request.
  B.SetInsertPoint(First);
  Value *SeenAgain = E.load(T.I64, Seen, "zaph.seen", /*Monotonic=*/true);
  E.branch(B.CreateICmpSLT(B.CreateAnd(SeenAgain, Epoch), Zero), Touch, NotBoth);
  B.SetInsertPoint(NotBoth);
  B.CreateCondBr(B.CreateICmpEQ(Epoch, Zero), ToOutside, NotOutside);
  // Inside, now outside: a run of outside entries begins.
  B.SetInsertPoint(ToOutside);
  E.add(OutsideBase, E.load(T.I64, Entries, "zaph.entries"), /*Subtract=*/true);
  E.store(Epoch, Seen);
  B.CreateBr(Count);
  B.SetInsertPoint(NotOutside);
  E.branch(B.CreateICmpSLT(Epoch, Zero), FromOutside, Slow);
  // Outside, now inside: the run of outside entries ends.
  B.SetInsertPoint(FromOutside);
  E.add(OutsideBase, E.load(T.I64, Entries, "zaph.entries"));
  B.CreateBr(Touch);
  B.SetInsertPoint(Touch);
  E.store(Epoch, Seen);
  E.add(Touched, One);
  Value *SharedFlag = B.CreateLoad(
      T.I8,
      B.CreateInBoundsGEP(T.ModuleDesc, ModuleGV,
                          {ConstantInt::get(T.I32, 0),
                           ConstantInt::get(T.I32, AbiTypes::ModuleShared),
                           ConstantInt::get(T.I32, Index)}),
      "zaph.shared");
  E.branch(B.CreateICmpEQ(SharedFlag, ConstantInt::get(T.I8, 0)), Count, Shared);
  B.SetInsertPoint(Shared);
  E.callCold(EnterShared, ZAPH_SHARED_TRAMPOLINE_SYMBOL, Index, Slot);
  B.CreateBr(Count);
  B.SetInsertPoint(Slow);
  E.callCold(EnterSlow, ZAPH_SLOW_TRAMPOLINE_SYMBOL, Index, Slot);
  B.CreateBr(Rest);

  F.addFnAttr(InstrumentedAttr);
}

// The path of this plugin, as the dynamic loader loaded it.
std::string pluginPath() {
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&pluginPath), &Info) && Info.dli_fname)
    return Info.dli_fname;
  return "zaph-pass.so";
}

// clang compiled M from source in this process without the front-end half (Frontend.cpp):
// annotations clang leaves out of llvm.global.annotations are then lost, unseen.
void warnWithoutFrontend(Module &M) {
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

} // namespace

namespace zaph {

bool ZaphPass::runOnModule(Module &M) {
  warnWithoutFrontend(M);
  diagnoseLocalAnnotations(M);
  std::vector<Op> Ops = collectOps(M);
  if (Ops.empty())
    return false;
  if (Ops.size() > ZAPH_MAX_MODULE_OPS) {
    diagnose(M, DS_Error, Ops[0].File, Ops[0].Line,
             "too many ops in one translation unit: " + Twine(Ops.size()) + " (the limit is " +
                 Twine(ZAPH_MAX_MODULE_OPS) + ")");
    return false;
  }
  ModuleInstrumenter(M, Ops).instrumentAll();
  return true;
}

PreservedAnalyses ZaphPass::run(Module &M, ModuleAnalysisManager &) {
  return runOnModule(M) ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace zaph
