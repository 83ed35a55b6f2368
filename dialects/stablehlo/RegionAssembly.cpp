//===- RegionAssembly.cpp - pretty syntax of reduce and while -------------===//
//
//   stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1]
//       : (tensor<4x4xf32>, tensor<f32>) -> tensor<4xf32>
//   stablehlo.reduce(%a init: %ia), (%b init: %ib) across dimensions = [0]
//       : (...) -> (...)
//     reducer(%acc0: tensor<f32>, %x0: tensor<f32>) (%acc1: ..., %x1: ...) {...}
//   stablehlo.while(%iterArg = %c, %iterArg_1 = %x) : tensor<i32>, tensor<4xf32>
//     cond { ... } do { ... }
//
//===----------------------------------------------------------------------===//
#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace mlir::stablehlo;

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

namespace {

// The op of the compact `applies <op>` form, when the body is exactly
// `%r = <op> %acc, %x ; stablehlo.return %r` on one input whose element type
// is the init value's, and nothing would be lost by leaving it out.
Operation *compactReducer(ReduceOp op) {
  if (op.getInputs().size() != 1)
    return nullptr;
  auto input = llvm::cast<ShapedType>(op.getInputs()[0].getType());
  auto init = llvm::cast<ShapedType>(op.getInitValues()[0].getType());
  if (input.getElementType() != init.getElementType())
    return nullptr;
  Region &body = op.getBody();
  if (!body.hasOneBlock())
    return nullptr;
  Block &block = body.front();
  if (block.getNumArguments() != 2 ||
      std::distance(block.begin(), block.end()) != 2)
    return nullptr;
  Operation *inner = &block.front();
  auto ret = llvm::dyn_cast<ReturnOp>(block.back());
  Type scalar = RankedTensorType::get({}, init.getElementType());
  if (!ret || ret->getNumOperands() != 1 || inner->getNumResults() != 1 ||
      ret->getOperand(0) != inner->getResult(0) ||
      inner->getNumOperands() != 2 ||
      inner->getOperand(0) != block.getArgument(0) ||
      inner->getOperand(1) != block.getArgument(1) ||
      inner->getNumRegions() != 0 || inner->getNumSuccessors() != 0 ||
      !inner->getAttrDictionary().empty() ||
      inner->getDialect() != op->getDialect() ||
      inner->getResult(0).getType() != scalar ||
      block.getArgument(0).getType() != scalar ||
      block.getArgument(1).getType() != scalar)
    return nullptr;
  return inner;
}

} // namespace

ParseResult ReduceOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::UnresolvedOperand> inputs, inits;
  do {
    OpAsmParser::UnresolvedOperand input, init;
    if (parser.parseLParen() || parser.parseOperand(input) ||
        parser.parseKeyword("init") || parser.parseColon() ||
        parser.parseOperand(init) || parser.parseRParen())
      return failure();
    inputs.push_back(input);
    inits.push_back(init);
  } while (succeeded(parser.parseOptionalComma()));

  // `applies <op>`: the body is that op on (accumulator, value).
  std::optional<OperationName> applied;
  llvm::SMLoc appliedLoc;
  if (succeeded(parser.parseOptionalKeyword("applies"))) {
    appliedLoc = parser.getCurrentLocation();
    StringRef name;
    if (parser.parseKeyword(&name))
      return failure();
    OperationName opName(name, parser.getContext());
    if (!opName.isRegistered())
      return parser.emitError(appliedLoc)
             << "unknown operation '" << name << "' after 'applies'";
    applied = opName;
  }

  SmallVector<int64_t> dims;
  if (parser.parseKeyword("across") || parser.parseKeyword("dimensions") ||
      parser.parseEqual() || parseI64List(parser, dims))
    return failure();
  result.addAttribute("dimensions",
                      DenseI64ArrayAttr::get(parser.getContext(), dims));
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();

  llvm::SMLoc typeLoc = parser.getCurrentLocation();
  FunctionType fnType;
  if (parser.parseColon() || parser.parseType(fnType))
    return failure();
  size_t n = inputs.size();
  if (fnType.getNumInputs() != 2 * n)
    return parser.emitError(typeLoc)
           << "expected " << 2 * n << " operand types (inputs, then init "
           << "values), got " << fnType.getNumInputs();
  SmallVector<OpAsmParser::UnresolvedOperand> operands(inputs);
  operands.append(inits);
  if (parser.resolveOperands(operands, fnType.getInputs(), typeLoc,
                             result.operands))
    return failure();
  result.addTypes(fnType.getResults());

  Region *body = result.addRegion();
  if (applied) {
    auto initType = llvm::dyn_cast<ShapedType>(fnType.getInput(n));
    if (!initType)
      return parser.emitError(typeLoc) << "init value must be a tensor";
    Type scalar = RankedTensorType::get({}, initType.getElementType());
    Location loc = result.location;
    OpBuilder builder(parser.getContext());
    Block *block = builder.createBlock(body, {}, {scalar, scalar}, {loc, loc});
    OperationState state(loc, *applied);
    state.addOperands(block->getArguments());
    state.addTypes(scalar);
    Operation *inner = builder.create(state);
    ReturnOp::create(builder, loc, inner->getResults());
    return success();
  }

  // reducer(%acc0: T0, %x0: T0) (%acc1: T1, %x1: T1) ... { ... }
  if (parser.parseKeyword("reducer"))
    return failure();
  SmallVector<OpAsmParser::Argument> accs(n), values(n);
  for (size_t i = 0; i < n; ++i)
    if (parser.parseLParen() ||
        parser.parseArgument(accs[i], /*allowType=*/true) ||
        parser.parseComma() ||
        parser.parseArgument(values[i], /*allowType=*/true) ||
        parser.parseRParen())
      return failure();
  SmallVector<OpAsmParser::Argument> args(accs);
  args.append(values);
  return parser.parseRegion(*body, args);
}

void ReduceOp::print(OpAsmPrinter &p) {
  size_t n = getInputs().size();
  for (size_t i = 0; i < n; ++i) {
    if (i)
      p << ", ";
    p << '(';
    p.printOperand(getInputs()[i]);
    p << " init: ";
    p.printOperand(getInitValues()[i]);
    p << ')';
  }
  Operation *inner = compactReducer(*this);
  if (inner)
    p << " applies " << inner->getName().getStringRef();
  p << " across dimensions = ";
  printI64List(p, getDimensions());
  p.printOptionalAttrDict((*this)->getAttrs(), {"dimensions"});
  p << " : ";
  p.printFunctionalType(getOperandTypes(), getResultTypes());
  if (inner)
    return;
  Block &block = getBody().front();
  p.printNewline();
  p << " reducer";
  for (size_t i = 0; i < n; ++i) {
    if (i)
      p << ' ';
    p << '(';
    if (i < block.getNumArguments())
      p.printRegionArgument(block.getArgument(i));
    p << ", ";
    if (n + i < block.getNumArguments())
      p.printRegionArgument(block.getArgument(n + i));
    p << ')';
  }
  p << "  ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}

//===----------------------------------------------------------------------===//
// while
//===----------------------------------------------------------------------===//

ParseResult WhileOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::Argument> args;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  if (parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Paren, [&]() -> ParseResult {
            OpAsmParser::Argument arg;
            OpAsmParser::UnresolvedOperand operand;
            if (parser.parseArgument(arg) || parser.parseEqual() ||
                parser.parseOperand(operand))
              return failure();
            args.push_back(arg);
            operands.push_back(operand);
            return success();
          }))
    return failure();
  SmallVector<Type> types;
  llvm::SMLoc typeLoc = parser.getCurrentLocation();
  if (!operands.empty() && parser.parseColonTypeList(types))
    return failure();
  if (types.size() != operands.size())
    return parser.emitError(typeLoc)
           << "expected " << operands.size() << " types, got " << types.size();
  if (parser.resolveOperands(operands, types, typeLoc, result.operands))
    return failure();
  result.addTypes(types);
  for (auto [arg, type] : llvm::zip(args, types))
    arg.type = type;
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *cond = result.addRegion();
  Region *body = result.addRegion();
  if (parser.parseKeyword("cond") || parser.parseRegion(*cond, args) ||
      parser.parseKeyword("do") || parser.parseRegion(*body, args))
    return failure();
  return success();
}

void WhileOp::print(OpAsmPrinter &p) {
  p << '(';
  Block *condBlock = getCond().empty() ? nullptr : &getCond().front();
  for (auto [i, operand] : llvm::enumerate(getOperand())) {
    if (i)
      p << ", ";
    if (condBlock && i < condBlock->getNumArguments())
      p.printOperand(condBlock->getArgument(i));
    else
      p << "%missing_arg";
    p << " = ";
    p.printOperand(operand);
  }
  p << ')';
  if (!getOperand().empty()) {
    p << " : ";
    llvm::interleaveComma(getOperand().getTypes(), p);
  }
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs());
  p.printNewline();
  p << "cond ";
  p.printRegion(getCond(), /*printEntryBlockArgs=*/false);
  p << " do ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}
