// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// FftToLinalg.cpp: every transformed axis is a contraction over the input
// position, the twiddle factor computed in the body from both loop indices.

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>

// RFFT: 8 reals -> 5 frequencies, e^(-2 pi i j k / 8).
// CHECK-LABEL: func.func @rfft
// CHECK: %[[ZERO:.*]] = complex.constant [0.000000e+00 : f32, 0.000000e+00 : f32] : complex<f32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : complex<f32>) outs(%{{.*}} : tensor<3x5xcomplex<f32>>)
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<3x8xf32>) outs(%[[ACC]] : tensor<3x5xcomplex<f32>>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[SUM:.*]]: complex<f32>):
// CHECK:   %[[J:.*]] = linalg.index 2 : index
// CHECK:   %[[K:.*]] = linalg.index 1 : index
// CHECK:   %[[JK:.*]] = arith.muli %[[J]], %[[K]] : index
// CHECK:   arith.remui %[[JK]], %{{.*}} : index
// CHECK:   arith.constant -0.78539816339744828 : f64
// CHECK:   math.cos
// CHECK:   math.sin
// CHECK:   %[[XC:.*]] = complex.create %[[X]], %{{.*}} : complex<f32>
// CHECK:   %[[W:.*]] = complex.create %{{.*}}, %{{.*}} : complex<f32>
// CHECK:   %[[T:.*]] = complex.mul %[[XC]], %[[W]] : complex<f32>
// CHECK:   %[[S:.*]] = complex.add %[[SUM]], %[[T]] : complex<f32>
// CHECK:   linalg.yield %[[S]] : complex<f32>
func.func @rfft(%x: tensor<3x8xf32>) -> tensor<3x5xcomplex<f32>> {
  %0 = stablehlo.fft %x, type = RFFT, length = [8] : (tensor<3x8xf32>) -> tensor<3x5xcomplex<f32>>
  return %0 : tensor<3x5xcomplex<f32>>
}

// IRFFT over two axes: the first axis inverse (complex), then the last from
// 4 frequencies to 6 reals, each term Re(x w) with w scaled by 1/n (and 2
// for frequencies that stand for their conjugates too).
// CHECK-LABEL: func.func @irfft2
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x4xcomplex<f64>>) outs(%{{.*}} : tensor<2x4xcomplex<f64>>)
// CHECK:   arith.constant 3.1415926535897931 : f64
// CHECK:   complex.mul
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x4xcomplex<f64>>) outs(%{{.*}} : tensor<2x6xf64>)
// CHECK:   arith.constant 1.0471975511965976 : f64
// CHECK:   arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
// CHECK:   complex.re
// CHECK:   complex.im
// CHECK:   arith.subf
// CHECK:   arith.addf
func.func @irfft2(%x: tensor<2x4xcomplex<f64>>) -> tensor<2x6xf64> {
  %0 = stablehlo.fft %x, type = IRFFT, length = [2, 6] : (tensor<2x4xcomplex<f64>>) -> tensor<2x6xf64>
  return %0 : tensor<2x6xf64>
}
