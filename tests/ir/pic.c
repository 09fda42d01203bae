/* The IR the pass emits for a PIC module, which may end up in a shared library, pinned on
 * LLVM 14 (typed pointers) and 17+ (opaque pointers, llvm.threadlocal.address): slots in the
 * thread's block, found through the runtime's initial-exec __zaph_tls, a descriptor without
 * ZAPH_MODULE_TLS, a constructor and a destructor, the slot's word offsets.
 * RUN: clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm -fPIC pic.c -o - |
 *      opt -load-pass-plugin=zaph-pass.so -passes=zaph -S |
 *      FileCheck -DABI_VERSION=<ZAPH_ABI_VERSION> --implicit-check-not=zaph.counters
 *                --implicit-check-not=__zaph_exe_epoch pic.c          (tests/ir/CMakeLists.txt) */
#include "zaph.h"

// CHECK:      @llvm.global.annotations = appending global [2 x { [[PTR:i8\*|ptr]],

// CHECK:      @zaph.ops = private constant [2 x { [[PTR]], [[PTR]], i32, i32, i32, i32, i64 }]
ZAPH_OP void first(void) {}
// CHECK-SAME: i32 [[#@LINE-1]], i32 1, i32 0, i32 0, i64 0 },
ZAPH_OP_TIER(3) long second(long x) { return x + 1; }
// CHECK-SAME: i32 [[#@LINE-1]], i32 1, i32 3, i32 0, i64 0 }]

// The constructor registers the module at priority 101; the destructor, at the same
// priority, unregisters it when its library is unloaded.
// CHECK:      @llvm.global_ctors = appending global [1 x { i32, [[FN:void \(\)\*|ptr]],
// CHECK-SAME: [[PTR]] }] [{ i32, [[FN]], [[PTR]] } { i32 101, [[FN]] @zaph.register, [[PTR]] null }]

// The descriptor, struct zaph_module: abi_version, n_ops, base (ZAPH_MODULE_BASE_INIT, the
// sink), register_module, flags (none), first_slot, epoch_offset (ZAPH_TLS_NONE, until the
// module is registered), and one shared flag per op.
// CHECK:      @zaph.module = internal global { i32, i32, i64, [[FN]], i32, i32, i64, [2 x i8] }
// CHECK-SAME: { i32 [[ABI_VERSION]], i32 2, i64 64, [[FN]] @zaph.register, i32 0, i32 0, i64 16, [2 x i8] zeroinitializer }, align 8
// CHECK:      @llvm.global_dtors = appending global [1 x { i32, [[FN]], [[PTR]] }]
// CHECK-SAME: [{ i32, [[FN]], [[PTR]] } { i32 101, [[FN]] @zaph.unregister, [[PTR]] null }]

// The runtime's struct zaph_tls, five words, initial-exec so that the library can be
// dlopen()ed.
// CHECK:      @__zaph_tls = external thread_local(initialexec) global [5 x i64]

// The second op's slot: self + module.base + 1 * ZAPH_SLOT_SIZE, its words at 0, 8, 16 and
// 24; the epoch at &__zaph_tls + module.epoch_offset. Then the hot path, in the entry block.
// CHECK-LABEL: define {{.*}}i64 @second(
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.self = load [[PTR]], {{.*}}, align 8
// CHECK-NEXT:  %zaph.epoch_offset = load i64, {{.*}}@zaph.module, i32 0, i32 6), align 8
// CHECK-NEXT:  %[[EPOCH_AT:[0-9]+]] = getelementptr inbounds i8, {{.*}}, i64 %zaph.epoch_offset
// CHECK-NEXT:  %zaph.base = load i64, {{.*}}@zaph.module, i32 0, i32 2), align 8
// CHECK-NEXT:  %[[OFFSET:[0-9]+]] = add i64 %zaph.base, 32
// CHECK-NEXT:  %zaph.slot = getelementptr inbounds i8, [[PTR]] %zaph.self, i64 %[[OFFSET]]
// CHECK-NEXT:  %zaph.entries = getelementptr inbounds i8, [[PTR]] %zaph.slot, i64 0
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.seen = getelementptr inbounds i8, [[PTR]] %zaph.slot, i64 8
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.touched = getelementptr inbounds i8, [[PTR]] %zaph.slot, i64 16
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.outside_base = getelementptr inbounds i8, [[PTR]] %zaph.slot, i64 24
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.epoch = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[SEEN:zaph.seen[0-9]+]] = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[EQ:[0-9]+]] = icmp eq i64 %[[SEEN]], %zaph.epoch
// CHECK-NEXT:  br i1 %[[EQ]], label %zaph.count, label %zaph.first, !prof
// CHECK-EMPTY:
// CHECK-NEXT:  zaph.count:
// CHECK-NEXT:  %zaph.old = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[ENTRIES:[0-9]+]] = add i64 %zaph.old, 1
// CHECK-NEXT:  store i64 %[[ENTRIES]], {{.*}}, align 8
// CHECK-NEXT:  br label %zaph.rest
// The shared flag of the second op.
// CHECK:       %zaph.shared{{[0-9]*}} = load i8, {{.*}}@zaph.module, i32 0, i32 7, i32 1), align 1

// A block module registers with no counters and no epoch of its own.
// CHECK-LABEL: define internal void @zaph.register()
// CHECK-NEXT:  call void @__zaph_register_module([[PTR]] {{.*}}@zaph.module{{.*}}, [[PTR]] {{.*}}@zaph.ops
// CHECK-SAME:  [[PTR]] null, [[PTR]] null)
// CHECK-LABEL: define internal void @zaph.unregister()
// CHECK-NEXT:  call void @__zaph_unregister_module([[PTR]] {{.*}}@zaph.module
// CHECK-NEXT:  ret void
