// RUN: hlox-opt %s --hlox-cpu-parallel-launch | FileCheck %s

// A call of an outlined parallel loop (begin, end, captured values...) runs
// through hlox_rt_parallel_for: the captured values go into a stack slot,
// a new _body function loads them and calls the kernel on its chunk.
// Only the values the kernel reads once folded are packed (here %p: %s only
// goes into a descriptor-like struct that nothing reads); the others are poison.
// Outlined serial loops become no_inline; both become internal.

// CHECK-LABEL: llvm.func @main
// CHECK-SAME: (%[[P:.*]]: !llvm.ptr, %[[N:.*]]: i64, %[[S:.*]]: f32)
// CHECK: %[[SLOT:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr)>
// CHECK: %[[F0:.*]] = llvm.getelementptr %[[SLOT]][0, 0]
// CHECK: llvm.store %[[P]], %[[F0]] : !llvm.ptr, !llvm.ptr
// CHECK-NOT: llvm.store
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @__hlox_parallel_0_body
// CHECK: %[[CHUNK:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK: llvm.call @hlox_rt_parallel_for(%[[FN]], %[[SLOT]], %[[N]], %[[CHUNK]])
// CHECK-NOT: llvm.call @__hlox_parallel_0(
// CHECK: llvm.call @__hlox_loop_1(%[[P]])
llvm.func @main(%p: !llvm.ptr, %n: i64, %s: f32) {
  %zero = llvm.mlir.constant(0 : i64) : i64
  llvm.call @__hlox_parallel_0(%zero, %n, %p, %s) : (i64, i64, !llvm.ptr, f32) -> ()
  llvm.call @__hlox_loop_1(%p) : (!llvm.ptr) -> ()
  llvm.return
}

// CHECK: llvm.func internal @__hlox_parallel_0(
llvm.func @__hlox_parallel_0(%begin: i64, %end: i64, %p: !llvm.ptr, %s: f32) attributes {hlox.parallel_min_chunk = 3 : i64} {
  %undef = llvm.mlir.poison : !llvm.struct<(ptr, f32)>
  %0 = llvm.insertvalue %p, %undef[0] : !llvm.struct<(ptr, f32)>
  %1 = llvm.insertvalue %s, %0[1] : !llvm.struct<(ptr, f32)>
  %2 = llvm.extractvalue %1[0] : !llvm.struct<(ptr, f32)>
  %3 = llvm.load %2 : !llvm.ptr -> f32
  llvm.store %3, %2 : f32, !llvm.ptr
  llvm.return
}
// CHECK: llvm.func internal @__hlox_parallel_0_body(%[[CTX:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK: %[[G0:.*]] = llvm.getelementptr %[[CTX]][0, 0]
// CHECK: %[[V0:.*]] = llvm.load %[[G0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[V1:.*]] = llvm.mlir.poison : f32
// CHECK: llvm.call @__hlox_parallel_0(%[[B]], %[[E]], %[[V0]], %[[V1]])

// CHECK: llvm.func internal @__hlox_loop_1({{.*}}) attributes {{{.*}}no_inline
llvm.func @__hlox_loop_1(%p: !llvm.ptr) attributes {hlox.outlined} {
  llvm.return
}
// CHECK: llvm.func @hlox_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64)
