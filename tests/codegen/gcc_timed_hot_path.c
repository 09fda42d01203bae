/* The hot path of a timed op with the GCC plugin (GCC 12, x86-64): the GIMPLE its pass writes
 * (`addw` on the low 16 bits of entries with the carry flag as an output of the asm, `=@ccc`;
 * the carrying entry completes the carry and returns the value of the timed copy, marked as a
 * tail call), and what GCC makes of it at -O2, read back from the object file with objdump:
 * an untimed entry costs the `jb` on the carry more than counting, no stack frame; the timed
 * entry adds the rest of 2^16 and jumps to the copy; the copy times itself with the runtime's
 * two calls (docs/latency.md, "Compilers").
 * RUN: as gcc_hot_path.c, objdump -d -r of the object for OBJ-PIE|OBJ-PIC
 *      (tests/codegen/CMakeLists.txt) */
#include "zaph.h"

ZAPH_OP_WITH("timed=64") long op(long x) { return x * 3 + 1; }

// GIMPLE-PIE-LABEL: long int op (long int x)
// GIMPLE-PIE:       [[SLOT:_[0-9]+]] = (char *) &__zaph_counters[0];
// GIMPLE-PIE:       if ({{_[0-9]+}} == {{_[0-9]+}})
// GIMPLE-PIE:       __asm__ __volatile__("addw %3, %0" : "=m" MEM <short unsigned int> [(char *)[[SLOT]]], "=@ccc" [[CARRY:_[0-9]+]] : "m" MEM <short unsigned int> [(char *)[[SLOT]]], "i" 1024);
// GIMPLE-PIE-NEXT:  if ([[CARRY]] != 0)
// GIMPLE-PIE-NEXT:  goto <bb [[CARRIED:[0-9]+]]>;
// GIMPLE-PIE:       [[VALUE:_[0-9]+]] = op.zaph_timed (x_{{[0-9]+}}(D)); [tail call]
// GIMPLE-PIE-NEXT:  return [[VALUE]];
// GIMPLE-PIE:       <bb [[CARRIED]]> :
// GIMPLE-PIE-NEXT:  [[OLD:_[0-9]+]] = MEM <long unsigned int> [(char *)[[SLOT]]];
// GIMPLE-PIE-NEXT:  [[NEW:_[0-9]+]] = [[OLD]] + 65536;
// GIMPLE-PIE-NEXT:  MEM <long unsigned int> [(char *)[[SLOT]]] = [[NEW]];
// GIMPLE-PIE-NEXT:  goto <bb {{[0-9]+}}>;

// The copy, placed before the op, calls the runtime around the body.
// OBJ-PIE-LABEL: <op.zaph_timed>:
// OBJ-PIE:       call {{.*}}
// OBJ-PIE-NEXT:  R_X86_64_PLT32 __zaph_time_begin-0x4
// OBJ-PIE:       call {{.*}}
// OBJ-PIE-NEXT:  R_X86_64_PLT32 __zaph_time_end-0x4
// OBJ-PIE:       ret
// OBJ-PIE-LABEL: <op>:
// OBJ-PIE-NEXT:  mov %fs:0x0,%[[SEEN:[a-z0-9]+]]
// OBJ-PIE-NEXT:  R_X86_64_TPOFF32 __zaph_counters+0x8
// OBJ-PIE-NEXT:  cmp %[[SEEN]],%fs:0x0
// OBJ-PIE-NEXT:  R_X86_64_TPOFF32 __zaph_exe_epoch
// OBJ-PIE-NEXT:  jne
// OBJ-PIE-NEXT:  addw $0x400,%fs:0x0
// OBJ-PIE-NEXT:  R_X86_64_TPOFF32 __zaph_counters{{$}}
// OBJ-PIE-NEXT:  jb [[TIMED:[0-9a-f]+]] <op+0x{{[0-9a-f]+}}>
// OBJ-PIE-NEXT:  lea 0x1(%rdi,%rdi,2),%rax
// OBJ-PIE-NEXT:  ret
// OBJ-PIE-NOT:   push
// OBJ-PIE:       [[TIMED]]: addq $0x10000,%fs:0x0
// OBJ-PIE-NEXT:  R_X86_64_TPOFF32 __zaph_counters{{$}}
// OBJ-PIE-NEXT:  jmp {{[0-9a-f]+}} <op.zaph_timed>
// OBJ-PIE-NOT:   push
// OBJ-PIE-LABEL: <__zaph_register>:

// -fPIC: the thread's block, the module's epoch offset and base, then the same count on the
// slot in a register.
// OBJ-PIC-LABEL: <op>:
// OBJ-PIC-NEXT:  mov 0x0(%rip),%[[TLS:[a-z0-9]+]]
// OBJ-PIC-NEXT:  R_X86_64_GOTTPOFF __zaph_tls-0x4
// OBJ-PIC:       cmp 0x8(%[[SLOT:[a-z0-9]+]]),
// OBJ-PIC-NEXT:  jne
// OBJ-PIC-NEXT:  addw $0x400,(%[[SLOT]])
// OBJ-PIC-NEXT:  jb [[TIMED:[0-9a-f]+]] <op+0x{{[0-9a-f]+}}>
// OBJ-PIC-NEXT:  lea 0x1(%rdi,%rdi,2),%rax
// OBJ-PIC-NEXT:  ret
// OBJ-PIC-NOT:   push
// OBJ-PIC:       [[TIMED]]: addq $0x10000,(%[[SLOT]])
// OBJ-PIC-NEXT:  jmp {{[0-9a-f]+}} <op.zaph_timed>
// OBJ-PIC-NOT:   push
// OBJ-PIC-LABEL: <__zaph_register>:

int main(void) { return (int)op(0) - 1; }
