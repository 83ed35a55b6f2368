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

// The first operand's type as the only result type.
LogicalResult inferFirstOperandType(std::optional<Location> location,
                                    ValueRange operands,
                                    SmallVectorImpl<Type> &inferred);

} // namespace mlir::stablehlo

#endif // HLOX_DIALECTS_STABLEHLO_QUANTIZATION_H
