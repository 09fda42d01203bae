/* The hot path of a timed op, pinned (clang 14, 19 and 22 at -O2, x86-64): an entry that is not
 * timed costs one instruction more than counting, the `jb` on the carry of a 16-bit add in
 * place of the 64-bit increment (docs/latency.md, "Sampling"); the timed entry completes the
 * carry and jumps to the op's timed copy, a tail call, so the function still keeps no stack
 * frame; the copy times itself with the runtime's two calls.
 * RUN: as hot_path.c (tests/codegen/CMakeLists.txt) */
#include "zaph.h"

ZAPH_OP_WITH("timed=64") long op(long x) { return x * 3 + 1; }

// PIE-LABEL: op:
// PIE-NEXT:  movq %fs:__zaph_exe_epoch@TPOFF, %[[EPOCH:[a-z0-9]+]]
// PIE-NEXT:  cmpq %[[EPOCH]], %fs:zaph.counters@TPOFF+8
// PIE-NEXT:  jne
// PIE-NEXT:  addw $1024, %fs:zaph.counters@TPOFF{{ +# imm = 0x400$}}
// PIE-NEXT:  jb [[TIMED:.LBB[0-9_]+]]
// PIE-NEXT:  leaq
// PIE-NOT:   push
// PIE:       retq
// Wherever the block is placed (clang 14 puts it next, 19 and 22 further down):
// PIE:       addq $65536, %fs:zaph.counters@TPOFF{{ +# imm = 0x10000$}}
// PIE-NEXT:  jmp op.zaph.timed
// PIE-NOT:   push
// PIE-LABEL: .Lfunc_end0:
// PIE-LABEL: op.zaph.timed:
// PIE:       {{callq?}} __zaph_time_begin
// PIE:       {{callq?}} __zaph_time_end

// PIC-LABEL: op:
// PIC-NEXT:  movq __zaph_tls@GOTTPOFF(%rip), %[[TLS:[a-z0-9]+]]
// PIC-NEXT:  movq %fs:(%[[TLS]]), %[[SELF:[a-z0-9]+]]
// PIC-NEXT:  movq zaph.module+32(%rip), %[[EOFF:[a-z0-9]+]]
// PIC-NEXT:  movq zaph.module+8(%rip), %[[BASE:[a-z0-9]+]]
// PIC-NEXT:  movq %fs:(%[[TLS]],%[[EOFF]]), %[[EPOCH:[a-z0-9]+]]
// PIC-NEXT:  cmpq %[[EPOCH]], 8(%[[SELF]],%[[BASE]])
// PIC-NEXT:  jne
// PIC-NEXT:  addw $1024, (%[[SELF]],%[[BASE]])
// PIC-NEXT:  jb
// PIC-NOT:   push
// PIC-LABEL: .Lfunc_end0:
