// RUN: hlox-opt %s | hlox-opt | FileCheck %s

// Every enum of the simple op groups prints standalone as #stablehlo<name CASE>
// (result_accuracy_mode as #stablehlo.result_accuracy_mode<CASE>, as upstream).

// CHECK-LABEL: func.func @enums
// CHECK-SAME: a0 = #stablehlo<comparison_direction LE>
// CHECK-SAME: a1 = #stablehlo<comparison_type TOTALORDER>
// CHECK-SAME: a2 = #stablehlo<rng_algorithm PHILOX>
// CHECK-SAME: a3 = #stablehlo<rng_distribution NORMAL>
// CHECK-SAME: a4 = #stablehlo<fft_type IRFFT>
// CHECK-SAME: a5 = #stablehlo<transpose ADJOINT>
// CHECK-SAME: a6 = #stablehlo.result_accuracy_mode<TOLERANCE>
// CHECK-SAME: a7 = #stablehlo.result_accuracy<mode = #stablehlo.result_accuracy_mode<DEFAULT>>
// CHECK-SAME: a8 = #stablehlo.result_accuracy<rtol = 1.000000e-02, mode = #stablehlo.result_accuracy_mode<TOLERANCE>>
func.func @enums() attributes {
    a0 = #stablehlo<comparison_direction LE>,
    a1 = #stablehlo<comparison_type TOTALORDER>,
    a2 = #stablehlo<rng_algorithm PHILOX>,
    a3 = #stablehlo<rng_distribution NORMAL>,
    a4 = #stablehlo<fft_type IRFFT>,
    a5 = #stablehlo<transpose ADJOINT>,
    a6 = #stablehlo.result_accuracy_mode<TOLERANCE>,
    a7 = #stablehlo.result_accuracy<mode = #stablehlo.result_accuracy_mode<DEFAULT>>,
    a8 = #stablehlo.result_accuracy<rtol = 0.01, mode = #stablehlo.result_accuracy_mode<TOLERANCE>>} {
  return
}
