/* The instructions the pass leaves on an op's hot path, pinned (clang 14 and 22 at -O2,
 * x86-64): a function with nothing else to do keeps no stack frame for its cold path, and an
 * entry that is not the op's first in a request costs four instructions (docs/design.md).
 * RUN: clang -O2 -S -fplugin=zaph-frontend.so -fpass-plugin=zaph-pass.so [-fPIC] hot_path.c
 *      -o -, without comment, CFI and block label lines | FileCheck --check-prefix=PIE|PIC (tests/codegen/CMakeLists.txt) */
#include "zaph.h"

ZAPH_OP long op(long x) { return x * 3 + 1; }

// PIE-LABEL: op:
// PIE-NEXT:  movq %fs:__zaph_exe_epoch@TPOFF, %[[EPOCH:[a-z0-9]+]]
// PIE-NEXT:  cmpq %[[EPOCH]], %fs:zaph.counters@TPOFF+8
// PIE-NEXT:  jne
// PIE-NEXT:  {{incq|addq \$1,}} %fs:zaph.counters@TPOFF{{$}}
// PIE-NEXT:  leaq
// PIE-NOT:   push
// PIE:       retq
// The op's first entry in a request: both epochs' sign bits, then seen, touched and the
// shared flag, inline.
// PIE-NEXT:  movq %fs:zaph.counters@TPOFF+8, %[[SEEN:[a-z0-9]+]]
// PIE-NEXT:  testq %[[EPOCH]], %[[SEEN]]
// PIE-NEXT:  jns
// PIE-NEXT:  movq %[[EPOCH]], %fs:zaph.counters@TPOFF+8
// PIE-NEXT:  {{incq|addq \$1,}} %fs:zaph.counters@TPOFF+16
// PIE-NEXT:  cmpb $0, zaph.module+40(%rip)
// The cold calls go through a trampoline, from inline assembly, through the GOT.
// PIE:       {{callq?}} *__zaph_shared_trampoline@GOTPCREL(%rip)
// PIE:       {{callq?}} *__zaph_slow_trampoline@GOTPCREL(%rip)
// PIE-NOT:   push
// PIE-LABEL: .Lfunc_end0:

// PIC-LABEL: op:
// PIC-NEXT:  movq __zaph_tls@GOTTPOFF(%rip), %[[TLS:[a-z0-9]+]]
// PIC-NEXT:  movq %fs:(%[[TLS]]), %[[SELF:[a-z0-9]+]]
// PIC-NEXT:  movq zaph.module+32(%rip), %[[EOFF:[a-z0-9]+]]
// PIC-NEXT:  movq zaph.module+8(%rip), %[[BASE:[a-z0-9]+]]
// PIC-NEXT:  movq %fs:(%[[TLS]],%[[EOFF]]), %[[EPOCH:[a-z0-9]+]]
// PIC-NEXT:  cmpq %[[EPOCH]], 8(%[[SELF]],%[[BASE]])
// PIC-NEXT:  jne
// PIC-NEXT:  {{incq|addq \$1,}} (%[[SELF]],%[[BASE]])
// PIC-NOT:   push
// PIC-LABEL: .Lfunc_end0:

// A module that may be unloaded unregisters itself in a destructor; an executable's never is.
// PIC:       zaph.unregister:
// PIC:       {{jmp|callq?}} __zaph_unregister_module@PLT
// PIC:       .section .fini_array.101
// PIC-NEXT:  .p2align
// PIC-NEXT:  .quad zaph.unregister
// PIE-NOT:   __zaph_unregister_module
