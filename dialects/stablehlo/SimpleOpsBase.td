//===- SimpleOpsBase.td - shared pieces of the "simple" op groups ---------===//
//
// Type constraints and op classes shared by ElementwiseOps.td, ShapeOps.td
// and MiscOps.td (element type classes as the spec names them).
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_SIMPLE_OPS_BASE
#define HLOX_STABLEHLO_SIMPLE_OPS_BASE

include "dialects/stablehlo/StablehloOpBase.td"

// Element type classes of the spec.
def HLOX_IntFpOrComplexTensor : RankedTensorOf<[HLO_Int, HLO_Float, HLO_Complex]>;
def HLOX_SIntFpOrComplexTensor : RankedTensorOf<[HLO_SInt, HLO_Float, HLO_Complex]>;
def HLOX_IntOrFpTensor : RankedTensorOf<[HLO_Int, HLO_Float]>;
def HLOX_FpTensor : RankedTensorOf<[HLO_Float]>;
def HLOX_FpOrComplexTensor : RankedTensorOf<[HLO_Float, HLO_Complex]>;
def HLOX_IntTensor : RankedTensorOf<[HLO_Int]>;
def HLOX_PredOrIntTensor : RankedTensorOf<[HLO_Pred, HLO_Int]>;
def HLOX_F32OrF64Tensor : RankedTensorOf<[F32, F64]>;
def HLOX_AnyTensor : RankedTensorOf<[HLO_ElementType]>;
// Shape operands of the dynamic ops: 1-D tensors of integers or index.
def HLOX_ShapeTensor : 1DTensorOf<[HLO_Int, Index]>;
def HLOX_ScalarIntOrIndexTensor : 0DTensorOf<[HLO_Int, Index]>;

#endif // HLOX_STABLEHLO_SIMPLE_OPS_BASE
