// RUN: hlox-opt %s --hlox-widen-sub-byte-memrefs | FileCheck %s

// Booleans in memory are bytes: i1 memrefs become i8, loads truncate, stores
// extend, globals get 0/1 bytes, signatures follow.

// CHECK: memref.global "private" constant @mask : memref<3xi8> = dense<[1, 0, 1]>
memref.global "private" constant @mask : memref<3xi1> = dense<[true, false, true]>

// CHECK-LABEL: func.func @copy_not(%{{.*}}: memref<3xi8>, %{{.*}}: memref<3xi8>)
func.func @copy_not(%in: memref<3xi1>, %out: memref<3xi1>) {
  %c0 = arith.constant 0 : index
  %true = arith.constant true
  // CHECK: %[[G:.*]] = memref.get_global @mask : memref<3xi8>
  %g = memref.get_global @mask : memref<3xi1>
  // CHECK: %[[A:.*]] = memref.alloc() : memref<3xi8>
  %a = memref.alloc() : memref<3xi1>
  // CHECK: memref.copy %[[G]], %[[A]] : memref<3xi8> to memref<3xi8>
  memref.copy %g, %a : memref<3xi1> to memref<3xi1>
  // CHECK: %[[BYTE:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<3xi8>
  // CHECK: %[[BIT:.*]] = arith.trunci %[[BYTE]] : i8 to i1
  %x = memref.load %in[%c0] : memref<3xi1>
  // CHECK: %[[NOT:.*]] = arith.xori %[[BIT]], %{{.*}} : i1
  %y = arith.xori %x, %true : i1
  // CHECK: %[[OUT:.*]] = arith.extui %[[NOT]] : i1 to i8
  // CHECK: memref.store %[[OUT]], %{{.*}}[%{{.*}}] : memref<3xi8>
  memref.store %y, %out[%c0] : memref<3xi1>
  // CHECK: memref.dealloc %[[A]] : memref<3xi8>
  memref.dealloc %a : memref<3xi1>
  return
}

// CHECK-LABEL: func.func @untouched(%{{.*}}: memref<2xf32>)
func.func @untouched(%m: memref<2xf32>) {
  return
}

// A loop carrying an i1 memref (a bufferized stablehlo.while with a boolean
// state) in a function whose signature has none: the loop is retyped whole.
// CHECK-LABEL: func.func @loop_carried(%{{.*}}: memref<2xf32>, %{{.*}}: i1)
func.func @loop_carried(%f: memref<2xf32>, %stop: i1) {
  // CHECK: %[[A:.*]] = memref.alloc() : memref<2xi8>
  %a = memref.alloc() : memref<2xi1>
  // CHECK: scf.while (%[[M:.*]] = %[[A]]) : (memref<2xi8>) -> memref<2xi8>
  %r = scf.while (%m = %a) : (memref<2xi1>) -> memref<2xi1> {
    // CHECK: scf.condition(%{{.*}}) %[[M]] : memref<2xi8>
    scf.condition(%stop) %m : memref<2xi1>
  } do {
  // CHECK: ^bb0(%[[N:.*]]: memref<2xi8>):
  ^bb0(%n: memref<2xi1>):
    %b = memref.alloc() : memref<2xi1>
    // CHECK: memref.copy %[[N]], %{{.*}} : memref<2xi8> to memref<2xi8>
    memref.copy %n, %b : memref<2xi1> to memref<2xi1>
    // CHECK: scf.yield %{{.*}} : memref<2xi8>
    scf.yield %b : memref<2xi1>
  }
  return
}

// int4/uint4/int2/uint2 (ml_dtypes: one byte each, the value's low bits):
// loads truncate, stores zero-extend, globals get their low bits.
// CHECK: memref.global "private" constant @nibbles : memref<2xi8> = dense<[15, 7]>
memref.global "private" constant @nibbles : memref<2xi4> = dense<[-1, 7]>

// CHECK-LABEL: func.func @negate_i4(%{{.*}}: memref<2xi8>, %{{.*}}: memref<2xi8>, %{{.*}}: memref<2xi8>)
func.func @negate_i4(%in: memref<2xi4>, %out: memref<2xi4>, %crumbs: memref<2xi2>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0 : i4
  // CHECK: %[[BYTE:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<2xi8>
  // CHECK: %[[X:.*]] = arith.trunci %[[BYTE]] : i8 to i4
  %x = memref.load %in[%c0] : memref<2xi4>
  // CHECK: %[[Y:.*]] = arith.subi %{{.*}}, %[[X]] : i4
  %y = arith.subi %zero, %x : i4
  // CHECK: %[[OUT:.*]] = arith.extui %[[Y]] : i4 to i8
  // CHECK: memref.store %[[OUT]], %{{.*}}[%{{.*}}] : memref<2xi8>
  memref.store %y, %out[%c0] : memref<2xi4>
  // CHECK: %[[C:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<2xi8>
  // CHECK: %[[T:.*]] = arith.trunci %[[C]] : i8 to i2
  // CHECK: %[[W:.*]] = arith.extui %[[T]] : i2 to i8
  // CHECK: memref.store %[[W]], %{{.*}}[%{{.*}}] : memref<2xi8>
  %c = memref.load %crumbs[%c0] : memref<2xi2>
  memref.store %c, %crumbs[%c0] : memref<2xi2>
  return
}
