//===- HloxStructureOps.td - hlox.fusion and hlox.yield -------------------===//
#ifndef HLOX_HLOX_STRUCTURE_OPS
#define HLOX_HLOX_STRUCTURE_OPS

include "dialects/hlox/HloxOpBase.td"

def Hlox_FusionOp : Hlox_Op<"fusion", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"YieldOp">, RecursiveMemoryEffects]> {
  let summary = "a group of ops compiled as one kernel";
  let description = [{
    The region's block arguments are the operands, its `hlox.yield` gives the
    results. `kind` names the fusion strategy (#hlox.fusion_kind: loop,
    input, output, multi_output, custom); the verifier checks that the body
    fits it (an `input` region holds a reduce, an `output` region exactly one
    dot_general/convolution, a `loop` region neither, a `multi_output`
    region several results). The region sees nothing from above.

    ```
    %r = hlox.fusion loop (%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
      %s = stablehlo.add %x, %y : tensor<4xf32>
      hlox.yield %s : tensor<4xf32>
    }
    ```
  }];
  let arguments = (ins Hlox_FusionKindAttr:$kind, Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    custom<FusionKind>($kind) `(` $inputs `)` attr-dict `:` functional-type($inputs, results) $body
  }];
  let hasVerifier = 1;
}

def Hlox_YieldOp : Hlox_Op<"yield", [Pure, Terminator, HasParent<"FusionOp">,
    ReturnLike]> {
  let summary = "the results of a hlox.fusion region";
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, ::mlir::ValueRange()); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // HLOX_HLOX_STRUCTURE_OPS
