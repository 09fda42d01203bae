/* A timed op that returns a struct in memory (sret): its timed entry jumps to the timed copy
 * as any other op's does, so the op keeps no stack frame on any entry and a timed entry no
 * second frame (a plain tail call, which LLVM 14 declines for sret, pushed a register on
 * every entry and called the copy).
 * RUN: as hot_path.c (tests/codegen/CMakeLists.txt) */
#include "zaph.h"

struct wide {
  long a[4];
};

ZAPH_OP_WITH("timed=64") struct wide wide(long x) {
  struct wide w = {{x, x + 1, x + 2, x + 3}};
  return w;
}

// PIE-LABEL: wide:
// PIE-NOT:   push
// PIE:       addq $65536, %fs:zaph.counters@TPOFF{{ +# imm = 0x10000$}}
// PIE-NEXT:  jmp wide.zaph.timed
// PIE-NOT:   push
// PIE-LABEL: .Lfunc_end0:

// PIC-LABEL: wide:
// PIC-NOT:   push
// PIC:       jmp wide.zaph.timed
// PIC-NOT:   push
// PIC-LABEL: .Lfunc_end0:
