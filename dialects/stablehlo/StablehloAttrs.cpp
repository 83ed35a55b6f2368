//===- StablehloAttrs.cpp - syntax of the struct-like attributes ----------===//
//
// `#stablehlo.dot<...>`, `#stablehlo.gather<...>`, `#stablehlo.scatter<...>`,
// `#stablehlo.conv<...>`, `#stablehlo.channel_handle<...>`,
// `#stablehlo.output_operand_alias<...>`, `#stablehlo.bounds<...>`,
// `#stablehlo.dot_algorithm<...>`. (The generated attribute classes are
// instantiated in StablehloDialect.cpp.)
//
//===----------------------------------------------------------------------===//
#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace mlir::stablehlo;

// The fields of one struct-like attribute: their parsers are kept here (as
// std::function) while parseStructFields refers to them (function_ref).
namespace {
struct FieldSet {
  SmallVector<std::function<ParseResult()>> callables;
  SmallVector<StructField> fields;
  void add(StringRef name, std::function<ParseResult()> fn,
           bool required = false) {
    callables.push_back(std::move(fn));
    names.push_back(name);
    required_.push_back(required);
  }
  ParseResult parse(AsmParser &parser, StringRef what) {
    fields.clear();
    for (size_t i = 0; i < callables.size(); ++i)
      fields.push_back(StructField{names[i], callables[i], required_[i]});
    return parseStructFields(parser, what, fields);
  }
  void list(AsmParser &parser, StringRef name, SmallVectorImpl<int64_t> &out) {
    add(name, [&parser, &out] { return parseI64List(parser, out); });
  }
  void integer(AsmParser &parser, StringRef name, int64_t &out,
               bool required = true) {
    add(name, [&parser, &out] { return parser.parseInteger(out); }, required);
  }

private:
  SmallVector<StringRef> names;
  SmallVector<bool> required_;
};
} // namespace

//===----------------------------------------------------------------------===//
// #stablehlo.dot<...>
//===----------------------------------------------------------------------===//

Attribute DotDimensionNumbersAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> lhsBatch, rhsBatch, lhsContract, rhsContract;
  FieldSet fields;
  fields.list(parser, "lhs_batching_dimensions", lhsBatch);
  fields.list(parser, "rhs_batching_dimensions", rhsBatch);
  fields.list(parser, "lhs_contracting_dimensions", lhsContract);
  fields.list(parser, "rhs_contracting_dimensions", rhsContract);
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.dot"))
    return {};
  return get(parser.getContext(), lhsBatch, rhsBatch, lhsContract, rhsContract);
}

void DotDimensionNumbersAttr::print(AsmPrinter &printer) const {
  printer << '<';
  StructPrinter p(printer);
  p.list("lhs_batching_dimensions", getLhsBatchingDimensions());
  p.list("rhs_batching_dimensions", getRhsBatchingDimensions());
  p.list("lhs_contracting_dimensions", getLhsContractingDimensions());
  p.list("rhs_contracting_dimensions", getRhsContractingDimensions());
  printer << '>';
}

//===----------------------------------------------------------------------===//
// #stablehlo.dot_algorithm<...>
//===----------------------------------------------------------------------===//

Attribute DotAlgorithmAttr::parse(AsmParser &parser, Type) {
  Type lhsType, rhsType, accType;
  int64_t lhsCount = 0, rhsCount = 0, numOps = 0;
  bool imprecise = false;
  FieldSet fields;
  auto type = [&](Type &out) {
    return [&parser, &out] { return parser.parseType(out); };
  };
  fields.add("lhs_precision_type", type(lhsType), true);
  fields.add("rhs_precision_type", type(rhsType), true);
  fields.add("accumulation_type", type(accType), true);
  fields.integer(parser, "lhs_component_count", lhsCount);
  fields.integer(parser, "rhs_component_count", rhsCount);
  fields.integer(parser, "num_primitive_operations", numOps);
  fields.add(
      "allow_imprecise_accumulation",
      [&]() -> ParseResult {
        if (succeeded(parser.parseOptionalKeyword("true"))) {
          imprecise = true;
          return success();
        }
        imprecise = false;
        return parser.parseKeyword("false");
      },
      true);
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.dot_algorithm"))
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    lhsType, rhsType, accType, lhsCount, rhsCount, numOps,
                    imprecise);
}

void DotAlgorithmAttr::print(AsmPrinter &printer) const {
  printer << "<lhs_precision_type = " << getLhsPrecisionType()
          << ", rhs_precision_type = " << getRhsPrecisionType()
          << ", accumulation_type = " << getAccumulationType()
          << ", lhs_component_count = " << getLhsComponentCount()
          << ", rhs_component_count = " << getRhsComponentCount()
          << ", num_primitive_operations = " << getNumPrimitiveOperations()
          << ", allow_imprecise_accumulation = "
          << (getAllowImpreciseAccumulation() ? "true" : "false") << '>';
}

LogicalResult
DotAlgorithmAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         Type lhsPrecisionType, Type rhsPrecisionType,
                         Type accumulationType, int64_t lhsComponentCount,
                         int64_t rhsComponentCount,
                         int64_t numPrimitiveOperations,
                         bool allowImpreciseAccumulation) {
  if (lhsComponentCount < 1)
    return emitError() << "dot algorithm: lhs_component_count must be >= 1, got "
                       << lhsComponentCount;
  if (rhsComponentCount < 1)
    return emitError() << "dot algorithm: rhs_component_count must be >= 1, got "
                       << rhsComponentCount;
  if (numPrimitiveOperations < 1)
    return emitError()
           << "dot algorithm: num_primitive_operations must be >= 1, got "
           << numPrimitiveOperations;
  return success();
}

//===----------------------------------------------------------------------===//
// #stablehlo.gather<...> / #stablehlo.scatter<...>
//===----------------------------------------------------------------------===//

Attribute GatherDimensionNumbersAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> offsetDims, collapsed, operandBatching, indicesBatching,
      startIndexMap;
  int64_t indexVectorDim = 0;
  FieldSet fields;
  fields.list(parser, "offset_dims", offsetDims);
  fields.list(parser, "collapsed_slice_dims", collapsed);
  fields.list(parser, "operand_batching_dims", operandBatching);
  fields.list(parser, "start_indices_batching_dims", indicesBatching);
  fields.list(parser, "start_index_map", startIndexMap);
  // Optional, 0 by default: JAX (like upstream) omits it when it is 0.
  fields.integer(parser, "index_vector_dim", indexVectorDim, /*required=*/false);
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.gather"))
    return {};
  return get(parser.getContext(), offsetDims, collapsed, operandBatching,
             indicesBatching, startIndexMap, indexVectorDim);
}

void GatherDimensionNumbersAttr::print(AsmPrinter &printer) const {
  printer << '<';
  StructPrinter p(printer);
  p.list("offset_dims", getOffsetDims());
  p.list("collapsed_slice_dims", getCollapsedSliceDims());
  p.list("operand_batching_dims", getOperandBatchingDims());
  p.list("start_indices_batching_dims", getStartIndicesBatchingDims());
  p.list("start_index_map", getStartIndexMap());
  if (getIndexVectorDim() != 0)
    p.integer("index_vector_dim", getIndexVectorDim());
  printer << '>';
}

Attribute ScatterDimensionNumbersAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> updateWindow, inserted, inputBatching, indicesBatching,
      toOperand;
  int64_t indexVectorDim = 0;
  FieldSet fields;
  fields.list(parser, "update_window_dims", updateWindow);
  fields.list(parser, "inserted_window_dims", inserted);
  fields.list(parser, "input_batching_dims", inputBatching);
  fields.list(parser, "scatter_indices_batching_dims", indicesBatching);
  fields.list(parser, "scatter_dims_to_operand_dims", toOperand);
  // Optional, 0 by default: JAX (like upstream) omits it when it is 0.
  fields.integer(parser, "index_vector_dim", indexVectorDim, /*required=*/false);
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.scatter"))
    return {};
  return get(parser.getContext(), updateWindow, inserted, inputBatching,
             indicesBatching, toOperand, indexVectorDim);
}

void ScatterDimensionNumbersAttr::print(AsmPrinter &printer) const {
  printer << '<';
  StructPrinter p(printer);
  p.list("update_window_dims", getUpdateWindowDims());
  p.list("inserted_window_dims", getInsertedWindowDims());
  p.list("input_batching_dims", getInputBatchingDims());
  p.list("scatter_indices_batching_dims", getScatterIndicesBatchingDims());
  p.list("scatter_dims_to_operand_dims", getScatterDimsToOperandDims());
  if (getIndexVectorDim() != 0)
    p.integer("index_vector_dim", getIndexVectorDim());
  printer << '>';
}

//===----------------------------------------------------------------------===//
// #stablehlo.conv<...>
//===----------------------------------------------------------------------===//

Attribute ConvDimensionNumbersAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalKeyword("raw"))) {
    int64_t inBatch = 0, inFeature = 0, kIn = 0, kOut = 0, outBatch = 0,
            outFeature = 0;
    SmallVector<int64_t> inSpatial, kSpatial, outSpatial;
    FieldSet fields;
    fields.integer(parser, "input_batch_dimension", inBatch);
    fields.integer(parser, "input_feature_dimension", inFeature);
    fields.list(parser, "input_spatial_dimensions", inSpatial);
    fields.integer(parser, "kernel_input_feature_dimension", kIn);
    fields.integer(parser, "kernel_output_feature_dimension", kOut);
    fields.list(parser, "kernel_spatial_dimensions", kSpatial);
    fields.integer(parser, "output_batch_dimension", outBatch);
    fields.integer(parser, "output_feature_dimension", outFeature);
    fields.list(parser, "output_spatial_dimensions", outSpatial);
    if (fields.parse(parser, "#stablehlo.conv"))
      return {};
    return get(parser.getContext(), inBatch, inFeature, inSpatial, kIn, kOut,
               kSpatial, outBatch, outFeature, outSpatial);
  }
  ConvDimensionNumbersAttr attr;
  if (parseConvDimensionsBody(parser, attr) || parser.parseGreater())
    return {};
  return attr;
}

void ConvDimensionNumbersAttr::print(AsmPrinter &printer) const {
  printer << '<';
  if (isCompactConvDimensions(*this)) {
    printConvDimensionsBody(printer, *this);
  } else {
    printer << "raw ";
    StructPrinter p(printer);
    p.integer("input_batch_dimension", getInputBatchDimension());
    p.integer("input_feature_dimension", getInputFeatureDimension());
    p.list("input_spatial_dimensions", getInputSpatialDimensions(), false);
    p.integer("kernel_input_feature_dimension", getKernelInputFeatureDimension());
    p.integer("kernel_output_feature_dimension",
              getKernelOutputFeatureDimension());
    p.list("kernel_spatial_dimensions", getKernelSpatialDimensions(), false);
    p.integer("output_batch_dimension", getOutputBatchDimension());
    p.integer("output_feature_dimension", getOutputFeatureDimension());
    p.list("output_spatial_dimensions", getOutputSpatialDimensions(), false);
  }
  printer << '>';
}

//===----------------------------------------------------------------------===//
// #stablehlo.channel_handle<...>, #stablehlo.output_operand_alias<...>
//===----------------------------------------------------------------------===//

Attribute ChannelHandleAttr::parse(AsmParser &parser, Type) {
  int64_t handle = 0, type = 0;
  FieldSet fields;
  fields.integer(parser, "handle", handle);
  fields.integer(parser, "type", type);
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.channel_handle"))
    return {};
  return get(parser.getContext(), handle, type);
}

void ChannelHandleAttr::print(AsmPrinter &printer) const {
  printer << "<handle = " << getHandle() << ", type = " << getType() << '>';
}

// Printed with every field, as upstream does (JAX's custom_call aliases).
Attribute OutputOperandAliasAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> outputTuple, operandTuple;
  int64_t operandIndex = 0;
  FieldSet fields;
  fields.list(parser, "output_tuple_indices", outputTuple);
  fields.integer(parser, "operand_index", operandIndex);
  fields.list(parser, "operand_tuple_indices", operandTuple);
  if (parser.parseLess() ||
      fields.parse(parser, "#stablehlo.output_operand_alias"))
    return {};
  return get(parser.getContext(), outputTuple, operandIndex, operandTuple);
}

void OutputOperandAliasAttr::print(AsmPrinter &printer) const {
  printer << '<';
  StructPrinter p(printer);
  p.list("output_tuple_indices", getOutputTupleIndices(), false);
  p.integer("operand_index", getOperandIndex());
  p.list("operand_tuple_indices", getOperandTupleIndices(), false);
  printer << '>';
}

//===----------------------------------------------------------------------===//
// #stablehlo.bounds<?, 3> and #stablehlo.type_extensions<bounds = [?, 3]>
//===----------------------------------------------------------------------===//

namespace {
ParseResult parseBound(AsmParser &parser, SmallVectorImpl<int64_t> &bounds) {
  if (succeeded(parser.parseOptionalQuestion())) {
    bounds.push_back(ShapedType::kDynamic);
    return success();
  }
  int64_t value;
  if (parser.parseInteger(value))
    return failure();
  bounds.push_back(value);
  return success();
}
} // namespace

Attribute TypeExtensionsAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> bounds;
  if (parser.parseLess())
    return {};
  if (failed(parser.parseOptionalGreater())) {
    if (parser.parseCommaSeparatedList([&]() -> ParseResult { return parseBound(parser, bounds); }) ||
        parser.parseGreater())
      return {};
  }
  return get(parser.getContext(), bounds);
}

void TypeExtensionsAttr::print(AsmPrinter &printer) const {
  printer << '<';
  llvm::interleaveComma(getBounds(), printer.getStream(), [&](int64_t b) {
    if (ShapedType::isDynamic(b))
      printer << '?';
    else
      printer << b;
  });
  printer << '>';
}

Attribute TypeExtensionsSyntaxAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> bounds;
  FieldSet fields;
  fields.add(
      "bounds",
      [&]() -> ParseResult {
        return parser.parseCommaSeparatedList(
            AsmParser::Delimiter::Square, [&]() -> ParseResult { return parseBound(parser, bounds); });
      },
      true);
  if (parser.parseLess() || fields.parse(parser, "#stablehlo.type_extensions"))
    return {};
  return TypeExtensionsAttr::get(parser.getContext(), bounds);
}

void TypeExtensionsSyntaxAttr::print(AsmPrinter &printer) const {
  printer << "<>";
}
