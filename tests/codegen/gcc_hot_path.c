/* What the GCC plugin inserts at an op's entry (GCC 12, x86-64): in GIMPLE, right after `ssa`
 * and before any inlining, zaph_count_entry() block by block and the cold calls; in
 * assembly at -O2, four instructions, and no stack frame for the cold path (docs/design.md).
 * RUN: gcc -O2 -fplugin=zaph-gcc.so [-fPIC] -fdump-tree-all gcc_hot_path.c, the *.zaph dump
 *      | FileCheck --check-prefix=GIMPLE-PIE|GIMPLE-PIC; gcc -O2 [-fPIC] -S ... -o - | FileCheck
 *      --check-prefix=PIE|PIC (tests/codegen/CMakeLists.txt) */
#include "zaph.h"

ZAPH_OP long op(long x) { return x * 3 + 1; }

// The constructor registers the module with its counters and the executable's epoch.
// GIMPLE-PIE-LABEL: void __zaph_register ()
// GIMPLE-PIE:       __zaph_register_module (&__zaph_module, &__zaph_ops, &__zaph_counters, &__zaph_exe_epoch);
// GIMPLE-PIE-LABEL: long int op (long int x)
// GIMPLE-PIE:       [[SLOT:_[0-9]+]] = (char *) &__zaph_counters[0];
// GIMPLE-PIE-NEXT:  [[EPOCHPTR:_[0-9]+]] = (char *) &__zaph_exe_epoch;
// GIMPLE-PIE-NEXT:  [[EPOCH:_[0-9]+]] = __zaph_exe_epoch;
// GIMPLE-PIE-NEXT:  [[SEEN:_[0-9]+]] = MEM <long unsigned int> [(char *)[[SLOT]] + 8B];
// GIMPLE-PIE-NEXT:  if ([[SEEN]] == [[EPOCH]])
// GIMPLE-PIE:       [[OLD:_[0-9]+]] = MEM <long unsigned int> [(char *)[[SLOT]]];
// GIMPLE-PIE-NEXT:  [[NEW:_[0-9]+]] = [[OLD]] + 1;
// GIMPLE-PIE-NEXT:  MEM <long unsigned int> [(char *)[[SLOT]]] = [[NEW]];
// The op's first entry in a request (or after one): the epoch loaded again, as a relaxed
// atomic; seen is the test's.
// GIMPLE-PIE:       [[EPOCH2:_[0-9]+]] = __atomic_load_8 ([[EPOCHPTR]], 0);
// GIMPLE-PIE-NOT:   __atomic_load_8
// GIMPLE-PIE:       = [[SEEN]] & {{_[0-9]+}};
// GIMPLE-PIE:       + 16B] = {{_[0-9]+}};
// GIMPLE-PIE-NEXT:  [[FLAG:_[0-9]+]] = __zaph_module.shared[0];
// GIMPLE-PIE-NEXT:  if ([[FLAG]] == 0)
// GIMPLE-PIE:       call *__zaph_shared_trampoline@GOTPCREL(%%rip)
// GIMPLE-PIE:       : : "m" __zaph_module : "r10", "r11", "memory", "cc", "xmm0",
// GIMPLE-PIE:       call *__zaph_slow_trampoline@GOTPCREL(%%rip)
// GIMPLE-PIE:       x_{{[0-9]+}}(D) * 3

// A block module: the thread's block, the module's base and epoch offset.
// GIMPLE-PIC-LABEL: void __zaph_register ()
// GIMPLE-PIC:       __zaph_register_module (&__zaph_module, &__zaph_ops, 0B, 0B);
// GIMPLE-PIC-LABEL: long int op (long int x)
// GIMPLE-PIC:       [[TLS:_[0-9]+]] = (char *) &__zaph_tls;
// GIMPLE-PIC-NEXT:  [[SELFW:_[0-9]+]] = MEM <long unsigned int> [(char *)[[TLS]]];
// GIMPLE-PIC-NEXT:  [[SELF:_[0-9]+]] = (char *) [[SELFW]];
// GIMPLE-PIC-NEXT:  [[EOFF:_[0-9]+]] = __zaph_module.epoch_offset;
// GIMPLE-PIC:       [[EPOCH:_[0-9]+]] = MEM <long unsigned int> [(char *)
// GIMPLE-PIC-NEXT:  [[BASE:_[0-9]+]] = __zaph_module.base;
// GIMPLE-PIC:       [[SLOT:_[0-9]+]] = [[SELF]] + {{_[0-9]+}};
// GIMPLE-PIC-NEXT:  [[SEEN:_[0-9]+]] = MEM <long unsigned int> [(char *)[[SLOT]] + 8B];
// GIMPLE-PIC-NEXT:  if ([[SEEN]] == [[EPOCH]])
// The first entry: seen loaded again, as a relaxed atomic; the epoch is the test's.
// GIMPLE-PIC:       [[SEEN2:_[0-9]+]] = __atomic_load_8 ({{_[0-9]+}}, 0);
// GIMPLE-PIC-NOT:   __atomic_load_8
// GIMPLE-PIC:       = {{_[0-9]+}} & [[EPOCH]];
// GIMPLE-PIC:       void __zaph_unregister ()
// GIMPLE-PIC-NEXT:  {
// GIMPLE-PIC:       __zaph_unregister_module (&__zaph_module);

// PIE-LABEL: op:
// PIE-NEXT:  movq %fs:8+__zaph_counters@tpoff, %[[SEEN:[a-z0-9]+]]
// PIE-NEXT:  cmpq %[[SEEN]], %fs:__zaph_exe_epoch@tpoff
// PIE-NEXT:  jne
// PIE-NEXT:  addq $1, %fs:__zaph_counters@tpoff
// PIE-NOT:   push
// PIE:       ret
// The cold calls go through a trampoline, from inline assembly, through the GOT.
// PIE:       leaq __zaph_module(%rip), %r10
// PIE-NEXT:  leaq -128(%rsp), %rsp
// PIE-NEXT:  movl $0, %r11d
// PIE-NEXT:  call *__zaph_shared_trampoline@GOTPCREL(%rip)
// PIE-NEXT:  leaq 128(%rsp), %rsp
// PIE:       call *__zaph_slow_trampoline@GOTPCREL(%rip)
// PIE-NOT:   push
// PIE-LABEL: .size op, .-op

// -fPIC: the thread's block and the module's epoch offset and base, then the same test, seen
// as its memory operand (8 instructions per entry, bench/hotpath.sh).
// PIC-LABEL: op:
// PIC-NEXT:  movq __zaph_tls@gottpoff(%rip), %[[TLS:[a-z0-9]+]]
// PIC-NEXT:  movq 32+__zaph_module(%rip), %[[OFF:[a-z0-9]+]]
// PIC-NEXT:  movq %fs:(%[[OFF]],%[[TLS]]), %[[EPOCH:[a-z0-9]+]]
// PIC-NEXT:  movq 8+__zaph_module(%rip), %[[SLOT:[a-z0-9]+]]
// PIC-NEXT:  addq %fs:(%[[TLS]]), %[[SLOT]]
// PIC-NEXT:  cmpq 8(%[[SLOT]]), %[[EPOCH]]
// PIC-NEXT:  jne
// PIC-NEXT:  addq $1, (%[[SLOT]])
// PIC-NOT:   push
// PIC-LABEL: .size op, .-op
