/* The IR the pass emits for a module headed for an executable (PIE level set), pinned on
 * LLVM 14 (typed pointers) and 17+ (opaque pointers, llvm.threadlocal.address): local-exec
 * thread_local counters and epoch, the descriptor, the constructor's priority, the hot path.
 * RUN: clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm -fPIE executable.c -o - |
 *      opt -load-pass-plugin=zaph-pass.so -passes=zaph -S |
 *      FileCheck -DABI_VERSION=<ZAPH_ABI_VERSION> --implicit-check-not=__zaph_tls
 *                --implicit-check-not=unregister executable.c     (tests/ir/CMakeLists.txt) */
#include "zaph.h"

// The annotations the pass reads, as clang leaves them.
// CHECK:      @llvm.global.annotations = appending global [2 x { [[PTR:i8\*|ptr]],
// CHECK-SAME: [[PTR]], [[PTR]], i32, [[PTR]] }]

// The module's own hot slots, one [4 x i64] per op, and the executable's epoch, a link-once
// copy that starts at ZAPH_EPOCH_NONE: both local-exec.
// CHECK:      @zaph.counters = internal thread_local(localexec) global [2 x [4 x i64]] zeroinitializer, align 32
// CHECK-NEXT: @__zaph_exe_epoch = linkonce_odr hidden thread_local(localexec) global i64 1, comdat, align 8

// The op table, struct zaph_op_desc: name, file, line, kind (2 request, 1 op), tier, timed, target.
// CHECK:      @zaph.str = private unnamed_addr constant [7 x i8] c"handle\00", align 1
// CHECK:      @zaph.str.2 = private unnamed_addr constant [3 x i8] c"op\00", align 1
// CHECK:      @zaph.ops = private constant [2 x { [[PTR]], [[PTR]], i32, i32, i32, i32, i64 }]
ZAPH_REQUEST void handle(void) {}
// CHECK-SAME: @zaph.str{{(, i32 0, i32 0\))?}}, {{.*}}@zaph.str.1{{(, i32 0, i32 0\))?}}, i32 [[#@LINE-1]], i32 2, i32 0, i32 0, i64 0 },
ZAPH_OP_TIER(2) long op(long x) { return x + 1; }
// CHECK-SAME: @zaph.str.2{{(, i32 0, i32 0\))?}}, {{.*}}@zaph.str.3{{(, i32 0, i32 0\))?}}, i32 [[#@LINE-1]], i32 1, i32 2, i32 0, i64 0 }]

// The registering constructor runs at priority 101, before the program's own.
// CHECK:      @llvm.global_ctors = appending global [1 x { i32, [[FN:void \(\)\*|ptr]],
// CHECK-SAME: [[PTR]] }] [{ i32, [[FN]], [[PTR]] } { i32 101, [[FN]] @zaph.register, [[PTR]] null }]

// The descriptor, struct zaph_module: abi_version, n_ops, base (ZAPH_MODULE_BASE_INIT),
// register_module, flags (ZAPH_MODULE_TLS), first_slot, epoch_offset (ZAPH_TLS_NONE), and
// one shared flag per op.
// CHECK:      @zaph.module = internal global { i32, i32, i64, [[FN]], i32, i32, i64, [2 x i8] }
// CHECK-SAME: { i32 [[ABI_VERSION]], i32 2, i64 64, [[FN]] @zaph.register, i32 1, i32 0, i64 16, [2 x i8] zeroinitializer }, align 8

// A request function begins its request before it counts its own entry.
// CHECK-LABEL: define dso_local void @handle()
// CHECK-NEXT:  call void @__zaph_request_enter()

// The hot path, in the entry block: seen == epoch, then entries += 1 and on. (The slot's
// addresses are operands here, constant expressions on LLVM 14: pic.c pins the offsets.)
// CHECK-LABEL: define dso_local i64 @op(
// CHECK-NOT:   {{^[a-z_.0-9]+:}}
// CHECK:       %zaph.epoch = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[SEEN:zaph.seen[0-9]*]] = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[EQ:[0-9]+]] = icmp eq i64 %[[SEEN]], %zaph.epoch
// CHECK-NEXT:  br i1 %[[EQ]], label %zaph.count, label %zaph.first, !prof ![[LIKELY:[0-9]+]]
// CHECK-EMPTY:
// CHECK-NEXT:  zaph.count:
// CHECK-NEXT:  %zaph.old = load i64, {{.*}}, align 8
// CHECK-NEXT:  %[[ENTRIES:[0-9]+]] = add i64 %zaph.old, 1
// CHECK-NEXT:  store i64 %[[ENTRIES]], {{.*}}, align 8
// CHECK-NEXT:  br label %zaph.rest
// The op's first entry in a request: both epochs inside (sign bits), seen loaded again.
// CHECK-EMPTY:
// CHECK-NEXT:  zaph.first:
// CHECK-NEXT:  %[[AGAIN:zaph.seen[0-9]+]] = load atomic i64, {{.*}} monotonic, align 8
// CHECK-NEXT:  %[[BOTH:[0-9]+]] = and i64 %[[AGAIN]], %zaph.epoch
// CHECK-NEXT:  %[[INSIDE:[0-9]+]] = icmp slt i64 %[[BOTH]], 0
// CHECK-NEXT:  br i1 %[[INSIDE]], label %zaph.touch, label %zaph.not_both, !prof ![[LIKELY]]
// On x86-64 the cold calls go through the trampolines, the op's index in %r11d.
// CHECK:       zaph.slow:
// CHECK-NEXT:  call void asm sideeffect "{{.*}}movl $$1, %r11d\0A\09call *__zaph_slow_trampoline@GOTPCREL(%rip)
// CHECK-NEXT:  br label %zaph.rest

// The constructor registers the module with its counters and epoch.
// CHECK-LABEL: define internal void @zaph.register()
// CHECK:       call void @__zaph_register_module([[PTR]] {{.*}}@zaph.module{{.*}}, [[PTR]] {{.*}}@zaph.ops
// CHECK-NOT:   null
// CHECK:       ret void

// CHECK-DAG:  declare void @__zaph_register_module([[PTR]], [[PTR]], [[PTR]], [[PTR]])
// CHECK-DAG:  declare void @__zaph_request_enter()
// CHECK:      attributes #0 = { {{.*}}"zaph-instrumented" }
// CHECK:      ![[LIKELY]] = !{!"branch_weights", i32 1048576, i32 1}
