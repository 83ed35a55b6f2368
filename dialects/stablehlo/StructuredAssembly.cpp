//===- StructuredAssembly.cpp - syntax of structured/region ops -----------===//
#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::stablehlo;

namespace mlir::stablehlo {

//===----------------------------------------------------------------------===//
// Shared pieces
//===----------------------------------------------------------------------===//

ParseResult parseI64List(AsmParser &parser, SmallVectorImpl<int64_t> &values) {
  values.clear();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
    int64_t value;
    if (parser.parseInteger(value))
      return failure();
    values.push_back(value);
    return success();
  });
}

void printI64List(AsmPrinter &printer, ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer.getStream());
  printer << ']';
}

ParseResult parseStructFields(AsmParser &parser, StringRef what,
                              ArrayRef<StructField> fields) {
  SmallVector<bool> seen(fields.size(), false);
  if (failed(parser.parseOptionalGreater())) {
    do {
      llvm::SMLoc loc = parser.getCurrentLocation();
      StringRef name;
      if (parser.parseKeyword(&name))
        return failure();
      auto *it = llvm::find_if(
          fields, [&](const StructField &f) { return f.name == name; });
      if (it == fields.end()) {
        std::string expected;
        llvm::raw_string_ostream os(expected);
        llvm::interleave(
            fields, os, [&](const StructField &f) { os << '\'' << f.name << '\''; },
            ", ");
        return parser.emitError(loc)
               << "unknown field '" << name << "' in " << what
               << ", expected one of " << expected;
      }
      size_t index = it - fields.begin();
      if (seen[index])
        return parser.emitError(loc)
               << "field '" << name << "' given twice in " << what;
      seen[index] = true;
      if (parser.parseEqual() || it->parse())
        return failure();
    } while (succeeded(parser.parseOptionalComma()));
    if (parser.parseGreater())
      return failure();
  }
  for (auto [field, wasSeen] : llvm::zip(fields, seen))
    if (field.required && !wasSeen)
      return parser.emitError(parser.getCurrentLocation())
             << what << " needs the field '" << field.name << "'";
  return success();
}

raw_ostream &StructPrinter::field(StringRef name) {
  if (!first)
    printer << ", ";
  first = false;
  printer << name << " = ";
  return printer.getStream();
}

void StructPrinter::list(StringRef name, ArrayRef<int64_t> values,
                         bool omitEmpty) {
  if (omitEmpty && values.empty())
    return;
  field(name);
  printI64List(printer, values);
}

void StructPrinter::integer(StringRef name, int64_t value) {
  field(name) << value;
}

//===----------------------------------------------------------------------===//
// Convolution dimension numbers
//===----------------------------------------------------------------------===//

namespace {
// One bracketed list of the compact form: two named dimensions (e.g. `b`
// and `f`) and numbered spatial dimensions, by position.
struct ConvDimsList {
  int64_t first = -1, second = -1;
  SmallVector<int64_t> spatial; // spatial[k] = position of spatial dim k
};

ParseResult parseConvDimsList(AsmParser &parser, char firstName,
                              char secondName, ConvDimsList &out) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  SmallVector<std::pair<int64_t, int64_t>> spatial; // (number, position)
  int64_t position = 0;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
        llvm::SMLoc itemLoc = parser.getCurrentLocation();
        int64_t number;
        OptionalParseResult isNumber = parser.parseOptionalInteger(number);
        if (isNumber.has_value()) {
          if (failed(*isNumber))
            return failure();
          if (number < 0)
            return parser.emitError(itemLoc)
                   << "negative spatial dimension " << number;
          spatial.push_back({number, position++});
          return success();
        }
        StringRef name;
        if (parser.parseKeyword(&name))
          return failure();
        int64_t *slot = nullptr;
        if (name.size() == 1 && name[0] == firstName)
          slot = &out.first;
        else if (name.size() == 1 && name[0] == secondName)
          slot = &out.second;
        else
          return parser.emitError(itemLoc)
                 << "unexpected dimension '" << name << "', expected '"
                 << firstName << "', '" << secondName << "' or a number";
        if (*slot != -1)
          return parser.emitError(itemLoc)
                 << "dimension '" << name << "' given twice";
        *slot = position++;
        return success();
      }))
    return failure();
  if (out.first == -1 || out.second == -1)
    return parser.emitError(loc) << "expected both '" << firstName
                                 << "' and '" << secondName << "' dimensions";
  out.spatial.assign(spatial.size(), -1);
  for (auto [number, pos] : spatial) {
    if (number >= static_cast<int64_t>(spatial.size()))
      return parser.emitError(loc)
             << "spatial dimension " << number << " out of range: there are "
             << spatial.size() << " spatial dimensions";
    if (out.spatial[number] != -1)
      return parser.emitError(loc)
             << "spatial dimension " << number << " given twice";
    out.spatial[number] = pos;
  }
  return success();
}

// Whether (first, second, spatial...) is a permutation of [0, 2 + #spatial).
bool isPermutation(int64_t first, int64_t second, ArrayRef<int64_t> spatial) {
  size_t rank = spatial.size() + 2;
  SmallVector<bool> seen(rank, false);
  auto mark = [&](int64_t d) {
    if (d < 0 || d >= static_cast<int64_t>(rank) || seen[d])
      return false;
    seen[d] = true;
    return true;
  };
  if (!mark(first) || !mark(second))
    return false;
  return llvm::all_of(spatial, mark);
}

void printConvDimsList(AsmPrinter &printer, int64_t first, char firstName,
                       int64_t second, char secondName,
                       ArrayRef<int64_t> spatial) {
  size_t rank = spatial.size() + 2;
  SmallVector<std::string> items(rank);
  items[first] = std::string(1, firstName);
  items[second] = std::string(1, secondName);
  for (auto [k, pos] : llvm::enumerate(spatial))
    items[pos] = std::to_string(k);
  printer << '[';
  llvm::interleaveComma(items, printer.getStream());
  printer << ']';
}
} // namespace

ParseResult parseConvDimensionsBody(AsmParser &parser,
                                    ConvDimensionNumbersAttr &attr) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  ConvDimsList input, kernel, output;
  if (parseConvDimsList(parser, 'b', 'f', input) || parser.parseKeyword("x") ||
      parseConvDimsList(parser, 'i', 'o', kernel) || parser.parseArrow() ||
      parseConvDimsList(parser, 'b', 'f', output))
    return failure();
  if (input.spatial.size() != kernel.spatial.size() ||
      input.spatial.size() != output.spatial.size())
    return parser.emitError(loc)
           << "input, kernel and output need the same number of spatial "
              "dimensions, got "
           << input.spatial.size() << ", " << kernel.spatial.size() << " and "
           << output.spatial.size();
  attr = ConvDimensionNumbersAttr::get(
      parser.getContext(), input.first, input.second, input.spatial,
      kernel.first, kernel.second, kernel.spatial, output.first, output.second,
      output.spatial);
  return success();
}

bool isCompactConvDimensions(ConvDimensionNumbersAttr attr) {
  size_t n = attr.getInputSpatialDimensions().size();
  return attr.getKernelSpatialDimensions().size() == n &&
         attr.getOutputSpatialDimensions().size() == n &&
         isPermutation(attr.getInputBatchDimension(),
                       attr.getInputFeatureDimension(),
                       attr.getInputSpatialDimensions()) &&
         isPermutation(attr.getKernelInputFeatureDimension(),
                       attr.getKernelOutputFeatureDimension(),
                       attr.getKernelSpatialDimensions()) &&
         isPermutation(attr.getOutputBatchDimension(),
                       attr.getOutputFeatureDimension(),
                       attr.getOutputSpatialDimensions());
}

void printConvDimensionsBody(AsmPrinter &printer, ConvDimensionNumbersAttr attr) {
  printConvDimsList(printer, attr.getInputBatchDimension(), 'b',
                    attr.getInputFeatureDimension(), 'f',
                    attr.getInputSpatialDimensions());
  printer << 'x';
  printConvDimsList(printer, attr.getKernelInputFeatureDimension(), 'i',
                    attr.getKernelOutputFeatureDimension(), 'o',
                    attr.getKernelSpatialDimensions());
  printer << "->";
  printConvDimsList(printer, attr.getOutputBatchDimension(), 'b',
                    attr.getOutputFeatureDimension(), 'f',
                    attr.getOutputSpatialDimensions());
}

//===----------------------------------------------------------------------===//
// dot_general / dot
//===----------------------------------------------------------------------===//

namespace {
// `[0, 1] x [2, 3]`
ParseResult parseDimsPair(AsmParser &parser, SmallVectorImpl<int64_t> &lhs,
                          SmallVectorImpl<int64_t> &rhs) {
  return failure(parseI64List(parser, lhs) || parser.parseKeyword("x") ||
                 parseI64List(parser, rhs));
}

void printDimsPair(AsmPrinter &printer, ArrayRef<int64_t> lhs,
                   ArrayRef<int64_t> rhs) {
  printI64List(printer, lhs);
  printer << " x ";
  printI64List(printer, rhs);
}

// `[DEFAULT, HIGH]`
ParseResult parsePrecisionList(AsmParser &parser, ArrayAttr &precision) {
  SmallVector<Attribute> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
        llvm::SMLoc loc = parser.getCurrentLocation();
        StringRef name;
        if (parser.parseKeyword(&name))
          return failure();
        std::optional<Precision> value = symbolizePrecision(name);
        if (!value)
          return parser.emitError(loc)
                 << "unknown precision '" << name
                 << "', expected DEFAULT, HIGH or HIGHEST";
        values.push_back(PrecisionAttr::get(parser.getContext(), *value));
        return success();
      }))
    return failure();
  precision = ArrayAttr::get(parser.getContext(), values);
  return success();
}

void printPrecisionList(AsmPrinter &printer, ArrayAttr precision) {
  printer << '[';
  llvm::interleaveComma(precision, printer.getStream(), [&](Attribute a) {
    if (auto p = llvm::dyn_cast<PrecisionAttr>(a))
      printer << stringifyPrecision(p.getValue());
    else
      printer << a;
  });
  printer << ']';
}
} // namespace

ParseResult parseDotDimensionNumbers(OpAsmParser &parser,
                                     DotDimensionNumbersAttr &attr) {
  SmallVector<int64_t> lhsBatch, rhsBatch, lhsContract, rhsContract;
  if (succeeded(parser.parseOptionalKeyword("batching_dims"))) {
    if (parser.parseEqual() || parseDimsPair(parser, lhsBatch, rhsBatch) ||
        parser.parseComma())
      return failure();
  }
  if (parser.parseKeyword("contracting_dims") || parser.parseEqual() ||
      parseDimsPair(parser, lhsContract, rhsContract))
    return failure();
  attr = DotDimensionNumbersAttr::get(parser.getContext(), lhsBatch, rhsBatch,
                                      lhsContract, rhsContract);
  return success();
}

void printDotDimensionNumbers(OpAsmPrinter &printer, Operation *,
                              DotDimensionNumbersAttr attr) {
  if (!attr.getLhsBatchingDimensions().empty() ||
      !attr.getRhsBatchingDimensions().empty()) {
    printer << "batching_dims = ";
    printDimsPair(printer, attr.getLhsBatchingDimensions(),
                  attr.getRhsBatchingDimensions());
    printer << ", ";
  }
  printer << "contracting_dims = ";
  printDimsPair(printer, attr.getLhsContractingDimensions(),
                attr.getRhsContractingDimensions());
}

ParseResult parsePrecisionConfig(OpAsmParser &parser, ArrayAttr &precision) {
  if (failed(parser.parseOptionalComma()))
    return success();
  return failure(parser.parseKeyword("precision") || parser.parseEqual() ||
                 parsePrecisionList(parser, precision));
}

void printPrecisionConfig(OpAsmPrinter &printer, Operation *,
                          ArrayAttr precision) {
  if (!precision)
    return;
  printer << ", precision = ";
  printPrecisionList(printer, precision);
}

ParseResult parsePrecisionConfigAndAlgorithm(OpAsmParser &parser,
                                             ArrayAttr &precision,
                                             DotAlgorithmAttr &algorithm) {
  while (succeeded(parser.parseOptionalComma())) {
    llvm::SMLoc loc = parser.getCurrentLocation();
    StringRef name;
    if (parser.parseKeyword(&name) || parser.parseEqual())
      return failure();
    if (name == "precision" && !precision) {
      if (parsePrecisionList(parser, precision))
        return failure();
    } else if (name == "algorithm" && !algorithm) {
      Attribute parsed = DotAlgorithmAttr::parse(parser, Type());
      if (!parsed)
        return failure();
      algorithm = llvm::cast<DotAlgorithmAttr>(parsed);
    } else {
      return parser.emitError(loc)
             << "expected 'precision' or 'algorithm' (each at most once), got '"
             << name << "'";
    }
  }
  return success();
}

void printPrecisionConfigAndAlgorithm(OpAsmPrinter &printer, Operation *op,
                                      ArrayAttr precision,
                                      DotAlgorithmAttr algorithm) {
  printPrecisionConfig(printer, op, precision);
  if (algorithm) {
    printer << ", algorithm = ";
    algorithm.print(printer);
  }
}

//===----------------------------------------------------------------------===//
// convolution
//===----------------------------------------------------------------------===//

ParseResult parseConvolutionDimensions(OpAsmParser &parser,
                                       ConvDimensionNumbersAttr &attr) {
  return parseConvDimensionsBody(parser, attr);
}

void printConvolutionDimensions(OpAsmPrinter &printer, Operation *,
                                ConvDimensionNumbersAttr attr) {
  if (isCompactConvDimensions(attr)) {
    printConvDimensionsBody(printer, attr);
    return;
  }
  // Not spellable compactly (the verifier rejects it): say so readably.
  printer << "<invalid>";
}

ParseResult parseWindowAttributes(OpAsmParser &parser,
                                  DenseI64ArrayAttr &windowStrides,
                                  DenseIntElementsAttr &padding,
                                  DenseI64ArrayAttr &lhsDilation,
                                  DenseI64ArrayAttr &rhsDilation,
                                  DenseBoolArrayAttr &windowReversal) {
  MLIRContext *ctx = parser.getContext();
  if (parser.parseLBrace())
    return failure();
  if (succeeded(parser.parseOptionalRBrace()))
    return success();
  do {
    llvm::SMLoc loc = parser.getCurrentLocation();
    StringRef name;
    if (parser.parseKeyword(&name) || parser.parseEqual())
      return failure();
    auto i64List = [&](DenseI64ArrayAttr &out) -> ParseResult {
      if (out)
        return parser.emitError(loc) << "'" << name << "' given twice";
      SmallVector<int64_t> values;
      if (parseI64List(parser, values))
        return failure();
      out = DenseI64ArrayAttr::get(ctx, values);
      return success();
    };
    if (name == "stride") {
      if (i64List(windowStrides))
        return failure();
    } else if (name == "lhs_dilate") {
      if (i64List(lhsDilation))
        return failure();
    } else if (name == "rhs_dilate") {
      if (i64List(rhsDilation))
        return failure();
    } else if (name == "pad") {
      if (padding)
        return parser.emitError(loc) << "'pad' given twice";
      SmallVector<int64_t> flat;
      int64_t rows = 0;
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
            SmallVector<int64_t> pair;
            llvm::SMLoc pairLoc = parser.getCurrentLocation();
            if (parseI64List(parser, pair))
              return failure();
            if (pair.size() != 2)
              return parser.emitError(pairLoc)
                     << "expected a [low, high] pair of padding";
            flat.append(pair);
            ++rows;
            return success();
          }))
        return failure();
      auto type = RankedTensorType::get({rows, 2}, IntegerType::get(ctx, 64));
      padding = DenseIntElementsAttr::get(type, flat);
    } else if (name == "reverse") {
      if (windowReversal)
        return parser.emitError(loc) << "'reverse' given twice";
      SmallVector<bool> values;
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
            if (succeeded(parser.parseOptionalKeyword("true"))) {
              values.push_back(true);
              return success();
            }
            if (succeeded(parser.parseOptionalKeyword("false"))) {
              values.push_back(false);
              return success();
            }
            llvm::SMLoc itemLoc = parser.getCurrentLocation();
            int64_t value;
            if (parser.parseInteger(value))
              return failure();
            if (value != 0 && value != 1)
              return parser.emitError(itemLoc)
                     << "expected true, false, 0 or 1 in 'reverse'";
            values.push_back(value == 1);
            return success();
          }))
        return failure();
      windowReversal = DenseBoolArrayAttr::get(ctx, values);
    } else {
      return parser.emitError(loc)
             << "unknown window attribute '" << name
             << "', expected stride, pad, lhs_dilate, rhs_dilate or reverse";
    }
  } while (succeeded(parser.parseOptionalComma()));
  return parser.parseRBrace();
}

void printWindowAttributes(OpAsmPrinter &printer, Operation *,
                           DenseI64ArrayAttr windowStrides,
                           DenseIntElementsAttr padding,
                           DenseI64ArrayAttr lhsDilation,
                           DenseI64ArrayAttr rhsDilation,
                           DenseBoolArrayAttr windowReversal) {
  printer << '{';
  StructPrinter fields(printer);
  if (windowStrides)
    fields.list("stride", windowStrides.asArrayRef(), /*omitEmpty=*/false);
  if (padding) {
    raw_ostream &os = fields.field("pad");
    SmallVector<int64_t> flat(padding.getValues<int64_t>());
    os << '[';
    for (size_t i = 0; i + 1 < flat.size(); i += 2) {
      if (i)
        os << ", ";
      os << '[' << flat[i] << ", " << flat[i + 1] << ']';
    }
    os << ']';
  }
  if (lhsDilation)
    fields.list("lhs_dilate", lhsDilation.asArrayRef(), /*omitEmpty=*/false);
  if (rhsDilation)
    fields.list("rhs_dilate", rhsDilation.asArrayRef(), /*omitEmpty=*/false);
  if (windowReversal) {
    raw_ostream &os = fields.field("reverse");
    os << '[';
    llvm::interleaveComma(windowReversal.asArrayRef(), os,
                          [&](bool b) { os << (b ? "true" : "false"); });
    os << ']';
  }
  printer << '}';
}

} // namespace mlir::stablehlo
