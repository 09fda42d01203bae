// Every difference between the LLVM versions zaph builds against (14 to 22) lives here, as
// small helpers; the pass itself contains no #if on LLVM_VERSION_MAJOR.
#ifndef ZAPH_PASS_COMPAT_H
#define ZAPH_PASS_COMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Attributes.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"

#if LLVM_VERSION_MAJOR >= 17
#include "llvm/TargetParser/Triple.h" // moved out of llvm/ADT in LLVM 17
#else
#include "llvm/ADT/Triple.h"
#endif

#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h" // moved out of llvm/Passes in LLVM 22
#else
#include "llvm/Passes/PassPlugin.h"
#endif

namespace zaph {

// A pointer to Elem: a typed pointer before LLVM 17, the opaque `ptr` from then on.
inline llvm::PointerType *pointerTo(llvm::Type *Elem) {
#if LLVM_VERSION_MAJOR >= 17
  return llvm::PointerType::getUnqual(Elem->getContext());
#else
  return llvm::PointerType::getUnqual(Elem);
#endif
}

// Removes what lets the optimizer merge or delete calls of a function that has no visible
// side effects (`__attribute__((const))`, `pure`): readnone/readonly before LLVM 16, the
// memory(...) attribute from then on. Returns whether anything was removed.
template <typename T> bool stripMemoryEffects(T &FnOrCall) {
#if LLVM_VERSION_MAJOR >= 16
  if (FnOrCall.getMemoryEffects() == llvm::MemoryEffects::unknown())
    return false;
  FnOrCall.removeFnAttr(llvm::Attribute::Memory);
  return true;
#else
  bool Had = false;
  for (llvm::Attribute::AttrKind K :
       {llvm::Attribute::ReadNone, llvm::Attribute::ReadOnly, llvm::Attribute::WriteOnly,
        llvm::Attribute::ArgMemOnly, llvm::Attribute::InaccessibleMemOnly,
        llvm::Attribute::InaccessibleMemOrArgMemOnly}) {
    if (FnOrCall.getAttributes().hasFnAttr(K)) {
      FnOrCall.removeFnAttr(K);
      Had = true;
    }
  }
  return Had;
#endif
}

// The address of a thread_local variable in the current thread. From LLVM 17 it is taken
// through llvm.threadlocal.address (the frontends' form, which keeps the optimizer from reusing
// one thread's address in another); before, the variable itself is that address.
inline llvm::Value *threadLocalAddress(llvm::IRBuilder<> &B, llvm::GlobalVariable *GV) {
#if LLVM_VERSION_MAJOR >= 17
  return B.CreateThreadLocalAddress(GV);
#else
  (void)B;
  return GV;
#endif
}

// Whether M is compiled for x86-64: the module's target triple is a std::string before
// LLVM 21 and a Triple from then on.
inline bool isX86_64(const llvm::Module &M) {
#if LLVM_VERSION_MAJOR >= 21
  return M.getTargetTriple().getArch() == llvm::Triple::x86_64;
#else
  return llvm::Triple(M.getTargetTriple()).getArch() == llvm::Triple::x86_64;
#endif
}

// Places F among the functions of section prefix Prefix: the ELF section .text.<Prefix>. (or
// .text.<Prefix>.<name> with -ffunction-sections), which the asm printer honours at every -O.
// LLVM 14 has it as Function::setSectionPrefix, returning nothing; LLVM 22 on GlobalObject,
// returning whether the prefix changed; the call is the same in both.
inline void setSectionPrefix(llvm::Function &F, llvm::StringRef Prefix) {
  F.setSectionPrefix(Prefix);
}

} // namespace zaph

// The clang front-end half (Frontend.cpp) defines ZAPH_COMPAT_CLANG before including this.
#ifdef ZAPH_COMPAT_CLANG
#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

namespace zaph {

// A compound statement `{ S }`: clang 15 added the floating-point options it carries.
inline clang::CompoundStmt *compoundStatement(const clang::ASTContext &Ctx, clang::Stmt *S,
                                              clang::SourceLocation Begin,
                                              clang::SourceLocation End) {
#if LLVM_VERSION_MAJOR >= 15
  return clang::CompoundStmt::Create(Ctx, S, clang::FPOptionsOverride(), Begin, End);
#else
  return clang::CompoundStmt::Create(Ctx, S, Begin, End);
#endif
}

} // namespace zaph
#endif

#endif
