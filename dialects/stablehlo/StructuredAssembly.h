//===- StructuredAssembly.h - syntax of structured/region ops -*- C++ -*-===//
//
// Parsers and printers for the pretty syntax of dot_general, dot,
// convolution, ... (`custom<Name>` directives: parseName / printName), and
// the list helpers that the attributes' hand-written syntax shares with them.
//
// Included from StablehloOps.h after the attribute classes.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_DIALECTS_STABLEHLO_STRUCTUREDASSEMBLY_H
#define HLOX_DIALECTS_STABLEHLO_STRUCTUREDASSEMBLY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

namespace mlir::stablehlo {

//===----------------------------------------------------------------------===//
// Shared pieces
//===----------------------------------------------------------------------===//

// `[1, 2, 3]` (possibly empty).
ParseResult parseI64List(AsmParser &parser, SmallVectorImpl<int64_t> &values);
void printI64List(AsmPrinter &printer, ArrayRef<int64_t> values);

// One `name = value` field of a struct-like attribute.
struct StructField {
  StringRef name;
  function_ref<ParseResult()> parse;
  bool required = false;
};

// Parses `name = value (, name = value)*` up to and including the closing
// `>` (the `<` already consumed): fields in any order, each at most once,
// optional ones may be left out.
ParseResult parseStructFields(AsmParser &parser, StringRef what,
                              ArrayRef<StructField> fields);

// Helpers for the printers of struct-like attributes: `name = [..]`, with a
// separator before every field but the first. Empty lists are left out when
// `omitEmpty` is set.
class StructPrinter {
public:
  explicit StructPrinter(AsmPrinter &printer) : printer(printer) {}
  void list(StringRef name, ArrayRef<int64_t> values, bool omitEmpty = true);
  void integer(StringRef name, int64_t value);
  raw_ostream &field(StringRef name);

private:
  AsmPrinter &printer;
  bool first = true;
};

//===----------------------------------------------------------------------===//
// Convolution dimension numbers: `[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]`
//===----------------------------------------------------------------------===//

class ConvDimensionNumbersAttr;
ParseResult parseConvDimensionsBody(AsmParser &parser,
                                    ConvDimensionNumbersAttr &attr);
void printConvDimensionsBody(AsmPrinter &printer, ConvDimensionNumbersAttr attr);
// Whether the compact form can spell `attr` (else the raw form is printed).
bool isCompactConvDimensions(ConvDimensionNumbersAttr attr);

//===----------------------------------------------------------------------===//
// custom<...> directives of the ops
//===----------------------------------------------------------------------===//

class DotDimensionNumbersAttr;
class DotAlgorithmAttr;

// dot_general: `batching_dims = [0] x [0], contracting_dims = [2] x [1]`.
ParseResult parseDotDimensionNumbers(OpAsmParser &parser,
                                     DotDimensionNumbersAttr &attr);
void printDotDimensionNumbers(OpAsmPrinter &printer, Operation *op,
                              DotDimensionNumbersAttr attr);

// `, precision = [DEFAULT, HIGH]` (optional).
ParseResult parsePrecisionConfig(OpAsmParser &parser, ArrayAttr &precision);
void printPrecisionConfig(OpAsmPrinter &printer, Operation *op,
                          ArrayAttr precision);

// `, precision = [..]` then `, algorithm = <...>`, both optional.
ParseResult parsePrecisionConfigAndAlgorithm(OpAsmParser &parser,
                                             ArrayAttr &precision,
                                             DotAlgorithmAttr &algorithm);
void printPrecisionConfigAndAlgorithm(OpAsmPrinter &printer, Operation *op,
                                      ArrayAttr precision,
                                      DotAlgorithmAttr algorithm);

// convolution: `[b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1]`.
ParseResult parseConvolutionDimensions(OpAsmParser &parser,
                                       ConvDimensionNumbersAttr &attr);
void printConvolutionDimensions(OpAsmPrinter &printer, Operation *op,
                                ConvDimensionNumbersAttr attr);

// convolution's window `{...}`: `stride = [..], pad = [[l, h], ..],
// lhs_dilate = [..], rhs_dilate = [..], reverse = [false, ..]`, each optional.
ParseResult parseWindowAttributes(OpAsmParser &parser,
                                  DenseI64ArrayAttr &windowStrides,
                                  DenseIntElementsAttr &padding,
                                  DenseI64ArrayAttr &lhsDilation,
                                  DenseI64ArrayAttr &rhsDilation,
                                  DenseBoolArrayAttr &windowReversal);
void printWindowAttributes(OpAsmPrinter &printer, Operation *op,
                           DenseI64ArrayAttr windowStrides,
                           DenseIntElementsAttr padding,
                           DenseI64ArrayAttr lhsDilation,
                           DenseI64ArrayAttr rhsDilation,
                           DenseBoolArrayAttr windowReversal);

} // namespace mlir::stablehlo

#endif // HLOX_DIALECTS_STABLEHLO_STRUCTUREDASSEMBLY_H
