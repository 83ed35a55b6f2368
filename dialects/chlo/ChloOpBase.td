//===- ChloOpBase.td - what every CHLO op group includes ------------------===//
#ifndef HLOX_CHLO_OP_BASE
#define HLOX_CHLO_OP_BASE

include "dialects/chlo/ChloBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

// Unary elementwise: `chlo.erf %x : tensor<4xf32> -> tensor<4xf32>`.
class CHLO_UnaryOp<string mnemonic, Type operandType, Type resultType = operandType,
                   list<Trait> traits = []>
    : CHLO_Op<mnemonic, traits # [Pure, Elementwise, SameOperandsAndResultShape]> {
  let arguments = (ins operandType:$operand);
  let results = (outs resultType:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

// Binary elementwise without broadcasting:
// `chlo.zeta %x, %q : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>`.
class CHLO_BinaryOp<string mnemonic>
    : CHLO_Op<mnemonic, [Pure, Elementwise, SameOperandsAndResultType]> {
  let arguments = (ins
      Arg<CHLO_FpTensor, "first operand">:$lhs,
      Arg<CHLO_FpTensor, "second operand">:$rhs);
  let results = (outs CHLO_FpTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

// Binary with numpy-style (or explicit `broadcast_dimensions`) broadcasting:
// `chlo.broadcast_add %a, %b : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>`.
class CHLO_BroadcastBinaryOp<string mnemonic, Type operandType = CHLO_Tensor,
                             Type resultType = CHLO_Tensor, list<Trait> traits = []>
    : CHLO_Op<mnemonic, traits # [Pure]> {
  let arguments = (ins operandType:$lhs, operandType:$rhs,
      OptionalAttr<DenseI64ArrayAttr>:$broadcast_dimensions);
  let results = (outs resultType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // HLOX_CHLO_OP_BASE
