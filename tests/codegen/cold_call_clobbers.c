/* The inline assembly of the cold calls declares every vector register of the function's
 * target clobbered: the runtime (and the C library under it) may use them, and values the
 * function keeps in them across an op's entry must survive (docs/design.md).
 * RUN: clang -O2 -S -emit-llvm [-mavx512f] cold_call_clobbers.c | FileCheck --check-prefix=SSE|AVX512 */
#include "zaph.h"

ZAPH_OP double op(double x) { return x * 3 + 1; }

// SSE:      call void asm sideeffect "{{.*}}__zaph_shared_trampoline{{.*}}~{xmm15}"
// SSE-NOT:  xmm16
// SSE-NOT:  ~{k0}
// SSE:      call void asm sideeffect "{{.*}}__zaph_slow_trampoline{{.*}}~{xmm15}"

// AVX512:   call void asm sideeffect "{{.*}}__zaph_shared_trampoline{{.*}}~{xmm31},~{k0},{{.*}}~{k7}"
// AVX512:   call void asm sideeffect "{{.*}}__zaph_slow_trampoline{{.*}}~{xmm31},~{k0},{{.*}}~{k7}"
