// Instrumentation for zaph ops: inserts the inline counter of include/zaph_abi.h at the entry
// of every op pass/Annotations.cpp found, and emits the module's op table and descriptor plus
// a constructor that registers them with the runtime.
#include "ZaphPass.h"
#include "Annotations.h"
#include "Tiers.h"
#include "compat.h"

extern "C" {
#include "zaph_abi.h"
#include "zaph_profile.h"
}

#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <string>
#include <vector>

using namespace llvm;
using zaph::diagnose;
using zaph::InstrumentedAttr;
using zaph::Op;

namespace {

// The priority of the constructor that registers a module and of the destructor that
// unregisters it: the first one not reserved for the implementation, so that they run before
// (and after) the program's own constructors (and destructors) of default priority.
const int RegistrationPriority = 101;

// The IR view of include/zaph_abi.h, for a module of NumOps ops.
struct AbiTypes {
  Type *I8, *I32, *I64;
  PointerType *I8Ptr, *I64Ptr;
  StructType *Desc, *ModuleDesc;
  ArrayType *Slot, *Tls;
  FunctionType *VoidFn, *PtrFn, *ColdFn, *RegisterFn, *TimeBeginFn, *TimeEndFn;
  // The fields of struct zaph_module the inline code reads, by IR struct index.
  enum ModuleField : unsigned { ModuleBase = 2, ModuleEpochOffset = 6, ModuleShared = 7 };
  AbiTypes(LLVMContext &Ctx, size_t NumOps) {
    I8 = Type::getInt8Ty(Ctx);
    I32 = Type::getInt32Ty(Ctx);
    I64 = Type::getInt64Ty(Ctx);
    I8Ptr = zaph::pointerTo(I8);
    I64Ptr = zaph::pointerTo(I64);
    Desc = StructType::get(Ctx, {I8Ptr, I8Ptr, I32, I32, I32, I32, I64}); // struct zaph_op_desc
    Type *Void = Type::getVoidTy(Ctx);
    VoidFn = FunctionType::get(Void, false);
    PtrFn = FunctionType::get(Void, {I8Ptr}, false);
    ColdFn = FunctionType::get(Void, {I8Ptr, I32, I8Ptr}, false);
    RegisterFn = FunctionType::get(Void, {I8Ptr, I8Ptr, I8Ptr, I8Ptr}, false);
    TimeBeginFn = FunctionType::get(I64, {I8Ptr, I32}, false);
    TimeEndFn = FunctionType::get(Void, {I8Ptr, I32, I64}, false);
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
  void keepEveryCall(const Op &O);
  Function *createTimedCopy(const Op &O, unsigned Index);
  void instrument(const Op &O, unsigned Index, Function *TimedCopy);
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
    keepEveryCall(Ops[I]);
    // The copy is taken before the count is inserted: it is the body alone.
    Function *TimedCopy = Ops[I].Timed ? createTimedCopy(Ops[I], I) : nullptr;
    instrument(Ops[I], I, TimedCopy);
  }
}

// A timed op's timed copy (docs/latency.md, "Sampling"): its body, uninstrumented, never
// inlined, that calls __zaph_time_begin at its entry and __zaph_time_end before each return;
// the op's entry that carries calls it instead of running its own body, so every copy the
// inliner makes of the op times through the one copy. A return by musttail call is timed up to
// that call, which must stay right before its return; an unwind or longjmp leaves the entry
// begun and unfinished.
Function *ModuleInstrumenter::createTimedCopy(const Op &O, unsigned Index) {
  ValueToValueMapTy Map;
  Function *Copy = CloneFunction(O.F, Map);
  Copy->setName(O.F->getName() + ".zaph.timed");
  Copy->setLinkage(GlobalValue::InternalLinkage);
  Copy->setVisibility(GlobalValue::DefaultVisibility);
  Copy->setDLLStorageClass(GlobalValue::DefaultStorageClass);
  Copy->removeFnAttr(Attribute::AlwaysInline);
  Copy->addFnAttr(Attribute::NoInline);
  Copy->addFnAttr(InstrumentedAttr);
  Value *Module = ConstantExpr::getPointerCast(ModuleGV, T.I8Ptr);
  Value *OpIndex = ConstantInt::get(T.I32, Index);
  FunctionCallee Begin = M.getOrInsertFunction(ZAPH_TIME_BEGIN_SYMBOL, T.TimeBeginFn);
  FunctionCallee End = M.getOrInsertFunction(ZAPH_TIME_END_SYMBOL, T.TimeEndFn);
  BasicBlock::iterator IP = Copy->getEntryBlock().getFirstInsertionPt();
  while (isa<AllocaInst>(*IP))
    ++IP;
  IRBuilder<> B(&Copy->getEntryBlock(), IP);
  DISubprogram *SP = Copy->getSubprogram();
  if (SP)
    B.SetCurrentDebugLocation(DILocation::get(Ctx, SP->getLine(), 0, SP));
  CallInst *Start = B.CreateCall(Begin, {Module, OpIndex}, "zaph.start");
  Start->setDoesNotThrow();
  std::vector<Instruction *> Returns;
  for (BasicBlock &BB : *Copy)
    if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator())) {
      Instruction *Before = Ret;
      if (auto *Call = dyn_cast_or_null<CallInst>(Ret->getPrevNode()))
        if (Call->isMustTailCall())
          Before = Call;
      Returns.push_back(Before);
    }
  for (Instruction *Before : Returns) {
    B.SetInsertPoint(Before);
    if (SP)
      B.SetCurrentDebugLocation(DILocation::get(Ctx, SP->getLine(), 0, SP));
    B.CreateCall(End, {Module, OpIndex, Start})->setDoesNotThrow();
  }
  return Copy;
}

// Keeps every call of a const/pure op: the optimizer may merge or drop calls of a function
// without side effects, and each lost call is a lost count.
void ModuleInstrumenter::keepEveryCall(const Op &O) {
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
                 ConstantInt::get(T.I32, O.Timed), ConstantInt::get(T.I64, O.TargetNs)}));
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
  // Unoptimized code (-O0, optnone) is not folded into one instruction by the backend: a load
  // and a store apart, a signal handler entering the same op on the same thread between them
  // would lose its entries. There an update is one read-modify-write instruction.
  const bool OneStep;

public:
  EntryEmitter(const ModuleInstrumenter &MI, Function &F, BasicBlock *Entry, BasicBlock *Rest)
      : MI(MI), T(MI.T), F(F), B(Entry), Rest(Rest),
        Atomic(F.hasFnAttribute(Attribute::SanitizeThread)),
        OneStep(F.hasFnAttribute(Attribute::OptimizeNone)) {
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
    if (OneStep) {
      B.CreateAtomicRMW(Subtract ? AtomicRMWInst::Sub : AtomicRMWInst::Add, Ptr, Delta,
                        MaybeAlign(8), AtomicOrdering::Monotonic);
      return;
    }
    Value *Old = load(T.I64, Ptr, "zaph.old");
    store(Subtract ? B.CreateSub(Old, Delta) : B.CreateAdd(Old, Delta), Ptr);
  }

  Value *word(Value *Slot, unsigned Offset, const char *Name) {
    return B.CreatePointerCast(B.CreateConstInBoundsGEP1_64(T.I8, Slot, Offset, Name),
                               T.I64Ptr);
  }

  // *Low += Step on a 16-bit word; returns whether the add carried out of it.
  Value *addCarry(Value *Low, uint64_t Step) {
    Type *I16 = Type::getInt16Ty(MI.Ctx);
    if (OneStep) {
      Value *Old = B.CreateAtomicRMW(AtomicRMWInst::Add, Low, ConstantInt::get(I16, Step),
                                     MaybeAlign(2), AtomicOrdering::Monotonic);
      return B.CreateICmpUGT(Old, ConstantInt::get(I16, 0xffff - Step));
    }
    Value *Sum = B.CreateBinaryIntrinsic(Intrinsic::uadd_with_overflow,
                                         load(I16, Low, "zaph.low"), ConstantInt::get(I16, Step));
    store(B.CreateExtractValue(Sum, 0), Low);
    return B.CreateExtractValue(Sum, 1);
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
void ModuleInstrumenter::instrument(const Op &O, unsigned Index, Function *TimedCopy) {
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
  if (!TimedCopy) {
    E.add(Entries, One);
    B.CreateBr(Rest);
  } else if (O.Timed == 1) {
    // Timed on every entry: the step is the carry itself, 2^16, and every entry is timed.
    E.add(Entries, ConstantInt::get(T.I64, ZAPH_TIMED_CARRY));
  } else {
    // A timed op counts in steps in the low 16 bits of entries (zaph_abi.h): `addw`, and on
    // the carry, the entry to time, which completes the carry and runs the timed copy.
    Value *Low = B.CreatePointerCast(Entries, zaph::pointerTo(Type::getInt16Ty(Ctx)));
    Value *Carry = E.addCarry(Low, ZAPH_TIMED_STEP(O.Timed - 1));
    BasicBlock *Timed = E.block("zaph.timed");
    B.CreateCondBr(Carry, Timed, Rest,
                   MDBuilder(Ctx).createBranchWeights(1, 1u << 20));
    B.SetInsertPoint(Timed);
    E.add(Entries, ConstantInt::get(T.I64, ZAPH_TIMED_CARRY));
  }
  if (TimedCopy) {
    std::vector<Value *> Args;
    for (Argument &A : F.args())
      Args.push_back(&A);
    CallInst *Call = B.CreateCall(TimedCopy->getFunctionType(), TimedCopy, Args);
    Call->setCallingConv(F.getCallingConv());
    Call->setAttributes(F.getAttributes());
    // A tail call the backend may decline: LLVM 14 declines every one that returns a struct
    // in memory (sret), which gives the op a stack frame on every entry and a timed entry two
    // frames. There it is musttail, unless an argument is passed in memory too (byval), which
    // LLVM 14 mislowers in a musttail call at -O0 and -Os.
    bool InMemory = false, Sret = false;
    for (Argument &A : F.args()) {
      Sret |= A.hasStructRetAttr();
      InMemory |= A.hasByValAttr() || A.hasInAllocaAttr() || A.hasPreallocatedAttr();
    }
    Call->setTailCallKind(Sret && !InMemory ? CallInst::TCK_MustTail : CallInst::TCK_Tail);
    if (F.getReturnType()->isVoidTy())
      B.CreateRetVoid();
    else
      B.CreateRet(Call);
  }
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
  // Before the instrumentation, so that a timed op's timed copy is marked as the op is.
  if (!applyTiers(M, Ops))
    return false;
  ModuleInstrumenter(M, Ops).instrumentAll();
  return true;
}

PreservedAnalyses ZaphPass::run(Module &M, ModuleAnalysisManager &) {
  return runOnModule(M) ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace zaph
