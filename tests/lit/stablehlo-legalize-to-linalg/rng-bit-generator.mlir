// RUN: hlox-opt %s --split-input-file --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// rng_bit_generator: one linalg.generic computes every element from its
// index (Threefry-2x32 or Philox-4x32 on the state's key and counter); the
// next state is scalar arithmetic on the initial one. Bit-exactness with XLA
// is tested against JAX in tests/python/test_lowering_rng.py.

// CHECK-LABEL: func.func @three_fry(
// CHECK-SAME: %[[S:.*]]: tensor<2xi64>) -> (tensor<2xi64>, tensor<4x3xi32>)
// CHECK-DAG: %[[KEY:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK-DAG: %[[CTR:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK: %[[BITS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x3xi32>)
// CHECK:   linalg.index 0
// CHECK:   linalg.index 1
// Threefry's key schedule constant.
// CHECK:   arith.constant 466688986 : i32
// CHECK:   arith.xori
// CHECK:   linalg.yield %{{.*}} : i32
// CHECK: } -> tensor<4x3xi32>
// The counter advances by the number of 2x32 blocks: 2 * 3.
// CHECK: %[[N:.*]] = arith.constant 6 : i64
// CHECK: %[[NEXT:.*]] = arith.addi %[[CTR]], %[[N]] : i64
// CHECK: %[[STATE:.*]] = tensor.from_elements %[[KEY]], %[[NEXT]] : tensor<2xi64>
// CHECK: return %[[STATE]], %[[BITS]] : tensor<2xi64>, tensor<4x3xi32>
func.func @three_fry(%s: tensor<2xui64>) -> (tensor<2xui64>, tensor<4x3xui32>) {
  %0:2 = stablehlo.rng_bit_generator %s, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<4x3xui32>)
  return %0#0, %0#1 : tensor<2xui64>, tensor<4x3xui32>
}

// -----

// 64-bit outputs: one block per element, its words joined.
// CHECK-LABEL: func.func @three_fry_64
// CHECK: linalg.generic
// CHECK:   arith.extui %{{.*}} : i32 to i64
// CHECK:   arith.shli
// CHECK:   arith.ori
// CHECK:   linalg.yield %{{.*}} : i64
// CHECK: } -> tensor<5xi64>
// CHECK: arith.constant 5 : i64
func.func @three_fry_64(%s: tensor<2xui64>) -> (tensor<2xui64>, tensor<5xui64>) {
  %0:2 = stablehlo.rng_bit_generator %s, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<5xui64>)
  return %0#0, %0#1 : tensor<2xui64>, tensor<5xui64>
}

// -----

// PHILOX (and DEFAULT, which XLA's CPU backend expands as PHILOX): Philox's
// multipliers; 8-bit outputs truncate 32-bit words. 7 elements take 2
// blocks of 4 words; with a 2-element state, the counter's high half is the
// key.
// CHECK-LABEL: func.func @philox
// CHECK: linalg.generic
// CHECK:   arith.constant 3528531795 : i64
// CHECK:   arith.muli %{{.*}}, %{{.*}} : i64
// CHECK:   arith.trunci %{{.*}} : i32 to i8
// CHECK:   linalg.yield %{{.*}} : i8
// CHECK: } -> tensor<7xi8>
// CHECK: %[[BLOCKS:.*]] = arith.constant 2 : i64
// CHECK: arith.addi %{{.*}}, %[[BLOCKS]] : i64
// CHECK: arith.cmpi ult
// CHECK: tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xi64>
// CHECK: linalg.generic
// CHECK:   arith.constant 3528531795 : i64
func.func @philox(%s: tensor<2xui64>) -> (tensor<7xui8>, tensor<7xui8>) {
  %0:2 = stablehlo.rng_bit_generator %s, algorithm = PHILOX : (tensor<2xui64>) -> (tensor<2xui64>, tensor<7xui8>)
  %1:2 = stablehlo.rng_bit_generator %s, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui64>, tensor<7xui8>)
  return %0#1, %1#1 : tensor<7xui8>, tensor<7xui8>
}
