//===- Quantization.h - quantized element types in StableHLO ----*- C++ -*-===//
//
// Which quant dialect types the spec admits as element types, and the shared
// verifier of the elementwise ops that accept quantized tensors.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_DIALECTS_STABLEHLO_QUANTIZATION_H
#define HLOX_DIALECTS_STABLEHLO_QUANTIZATION_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/ValueRange.h"

#include <optional>

namespace mlir::stablehlo {

// A per-tensor or per-axis uniform quantized type whose storage type is a
// (un)signed integer of 2 to 32 bits and whose expressed type is a float
// (spec: "Quantized element types").
bool isSpecQuantizedType(Type type);

// Storage width in bits of a quantized element type (0 when it is not one).
unsigned quantizedStorageBits(Type type);

// Inferred and declared results agree as compatibleReturnTypes says, or when
// both are quantized alike (one storage and expressed type; scales and zero
// points may differ, as the spec allows for add and the other ops that
// dequantize, compute and quantize).
bool quantizableCompatibleReturnTypes(TypeRange inferred, TypeRange actual);

// A per-axis quantized tensor type's quantization dimension is one of its
// dimensions, with one scale and zero point per index along it.
LogicalResult verifyPerAxisShape(Operation *op, Type tensorType);

// The spec's constraints of an elementwise op on quantized tensors: all of
// its operands and results are quantized with one storage type (and range),
// one expressed type and, when per-axis, one quantization dimension; or none
// is quantized and all have one element type.
LogicalResult verifyQuantizableElementwise(Operation *op);
// The same constraints on `types` alone (select's on_true, on_false, result).
LogicalResult verifyQuantizableTypes(Operation *op, TypeRange types);

// The spec's constraints of dot_general (C14, C17-C20) and convolution (C28,
// C31-C34) on quantized tensors: rhs is quantized, lhs and result are both
// quantized (lhs and rhs with one storage type, all three with one expressed
// type, a per-tensor rhs giving a per-tensor result) or both float, the
// expressed type of rhs (hybrid). The op-specific quantization dimension
// constraints stay with each op. Success when no operand or result is quantized.
LogicalResult verifyQuantizedContraction(Operation *op, Type lhs, Type rhs, Type result);

// reshape, broadcast_in_dim (C1 and the quantization dimension constraints):
// the result's element type is the operand's; a per-axis quantized operand's
// result is per-axis too, with its scales and zero points (one of a size-1
// dimension repeated), and a quantization dimension that `follows` the
// operand's (follows(operandAxis, resultAxis)), as `rule` says.
LogicalResult verifyMovedElementType(Operation *op, RankedTensorType operand,
                                     RankedTensorType result,
                                     function_ref<bool(int64_t, int64_t)> follows,
                                     StringRef rule);

// A per-axis quantized type with its quantization dimension at `axis`; any
// other type unchanged (transpose's inferred element type).
Type withQuantizedDimension(Type element, int64_t axis);

// The first operand's type as the only result type.
LogicalResult inferFirstOperandType(std::optional<Location> location,
                                    ValueRange operands,
                                    SmallVectorImpl<Type> &inferred);

} // namespace mlir::stablehlo

#endif // HLOX_DIALECTS_STABLEHLO_QUANTIZATION_H
