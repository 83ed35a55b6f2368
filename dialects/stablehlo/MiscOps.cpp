//===- MiscOps.cpp - hand-written parts of the misc ops -------------------===//
//
// Result type inference and verifiers for tuples, rng, custom_call,
// composite, tokens, cholesky, triangular_solve, fft and batch norm (spec
// constraints in comments).
//
//===----------------------------------------------------------------------===//
#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace mlir::stablehlo;

namespace {

RankedTensorType rankedTensor(Type type) {
  return llvm::dyn_cast<RankedTensorType>(type);
}

} // namespace

//===----------------------------------------------------------------------===//
// tuple, get_tuple_element, optimization_barrier
//===----------------------------------------------------------------------===//

LogicalResult TupleOp::inferReturnTypes(MLIRContext *context, std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  inferred.push_back(TupleType::get(context, adaptor.getVal().getTypes()));
  return success();
}

LogicalResult GetTupleElementOp::inferReturnTypes(MLIRContext *,
                                                  std::optional<Location> loc,
                                                  Adaptor adaptor,
                                                  SmallVectorImpl<Type> &inferred) {
  auto tuple = llvm::dyn_cast<TupleType>(adaptor.getOperand().getType());
  if (!tuple)
    return emitOptionalError(loc, "expected a tuple operand");
  // (C1) 0 <= index < size(operand).
  uint32_t index = adaptor.getIndex();
  if (index >= tuple.size())
    return emitOptionalError(loc, "'stablehlo.get_tuple_element' op index ", index,
                             " is out of range for ", tuple);
  inferred.push_back(tuple.getType(index));
  return success();
}

LogicalResult OptimizationBarrierOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  llvm::append_range(inferred, adaptor.getOperand().getTypes());
  return success();
}

//===----------------------------------------------------------------------===//
// rng, rng_bit_generator
//===----------------------------------------------------------------------===//

LogicalResult RngOp::verify() {
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  // (C1) NORMAL needs floating-point values.
  if (getRngDistribution() == RngDistribution::NORMAL &&
      !llvm::isa<FloatType>(result.getElementType()))
    return emitOpError("the NORMAL distribution needs a floating-point result, got ")
           << result;
  // (C2) shape(result) = shape.
  auto shape = llvm::cast<RankedTensorType>(getShape().getType());
  if (!shape.isDynamicDim(0) && shape.getDimSize(0) != result.getRank())
    return emitOpError("shape has ")
           << shape.getDimSize(0) << " elements but the result has rank "
           << result.getRank();
  return success();
}

LogicalResult RngBitGeneratorOp::verify() {
  // (C2) the state size the algorithm needs.
  auto state = llvm::cast<RankedTensorType>(getInitialState().getType());
  if (!state.hasStaticShape())
    return success();
  int64_t size = state.getNumElements();
  switch (getRngAlgorithm()) {
  case RngAlgorithm::DEFAULT:
    return success();
  case RngAlgorithm::THREE_FRY:
    if (size != 2)
      return emitOpError("THREE_FRY needs a state of 2 elements, got ") << state;
    return success();
  case RngAlgorithm::PHILOX:
    if (size != 2 && size != 3)
      return emitOpError("PHILOX needs a state of 2 or 3 elements, got ") << state;
    return success();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// custom_call, composite
//===----------------------------------------------------------------------===//

void CustomCallOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  if (!getHasSideEffect())
    return;
  effects.emplace_back(MemoryEffects::Read::get());
  effects.emplace_back(MemoryEffects::Write::get());
}

LogicalResult CustomCallOp::verify() {
  // A dictionary backend_config belongs to the typed FFI.
  if (std::optional<Attribute> config = getBackendConfig();
      config && llvm::isa<DictionaryAttr>(*config) &&
      getApiVersion() != CustomCallApiVersion::API_VERSION_TYPED_FFI)
    return emitOpError("a dictionary backend_config needs api_version = 4 "
                       "(API_VERSION_TYPED_FFI)");
  // One layout per operand / result.
  if (std::optional<ArrayAttr> layouts = getOperandLayouts();
      layouts && layouts->size() != getInputs().size())
    return emitOpError("has ") << layouts->size() << " operand_layouts for "
                               << getInputs().size() << " operands";
  if (std::optional<ArrayAttr> layouts = getResultLayouts();
      layouts && layouts->size() != getNumResults())
    return emitOpError("has ") << layouts->size() << " result_layouts for "
                               << getNumResults() << " results";
  return success();
}

LogicalResult CompositeOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  // (C1) decomposition names a function with the op's signature.
  StringRef name = getDecomposition();
  auto func = symbolTable.lookupNearestSymbolFrom<func::FuncOp>(
      *this, getDecompositionAttr());
  if (!func)
    return emitOpError("decomposition @") << name << " is not a func.func";
  FunctionType type = func.getFunctionType();
  if (TypeRange(type.getInputs()) != TypeRange(getOperandTypes()) ||
      TypeRange(type.getResults()) != TypeRange(getResultTypes()))
    return emitOpError("has the type ")
           << FunctionType::get(getContext(), getOperandTypes(), getResultTypes())
           << " but its decomposition @" << name << " has the type " << type;
  return success();
}

//===----------------------------------------------------------------------===//
// partition_id, replica_id, after_all, create_token, infeed, outfeed, send, recv
//===----------------------------------------------------------------------===//

static RankedTensorType scalarUI32(MLIRContext *context) {
  return RankedTensorType::get({}, IntegerType::get(context, 32, IntegerType::Unsigned));
}

LogicalResult PartitionIdOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location>, Adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  inferred.push_back(scalarUI32(context));
  return success();
}

LogicalResult ReplicaIdOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location>, Adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  inferred.push_back(scalarUI32(context));
  return success();
}

// infeed, recv: the values, then one token.
static LogicalResult verifyValuesThenToken(Operation *op) {
  if (op->getNumResults() == 0 ||
      !llvm::isa<TokenType>(op->getResult(op->getNumResults() - 1).getType()))
    return op->emitOpError("needs a !stablehlo.token as its last result");
  for (Type t : TypeRange(op->getResultTypes()).drop_back())
    if (llvm::isa<TokenType>(t))
      return op->emitOpError("has a token result other than the last one");
  return success();
}

LogicalResult InfeedOp::verify() {
  // (C2) the layout, if given, has one entry per non-token result.
  if (std::optional<ArrayAttr> layout = getLayout();
      layout && layout->size() != getNumResults() - 1 && getNumResults() > 0)
    return emitOpError("has ") << layout->size() << " layouts for "
                               << getNumResults() - 1 << " values";
  return verifyValuesThenToken(*this);
}

LogicalResult RecvOp::verify() { return verifyValuesThenToken(*this); }

//===----------------------------------------------------------------------===//
// cholesky, triangular_solve
//===----------------------------------------------------------------------===//

LogicalResult CholeskyOp::verify() {
  // (C2) 2 <= rank(a); (C3) dim(a, -2) = dim(a, -1).
  auto type = llvm::cast<RankedTensorType>(getA().getType());
  if (type.getRank() < 2)
    return emitOpError("needs a batch of square matrices (rank >= 2), got ") << type;
  int64_t m = type.getDimSize(type.getRank() - 2), n = type.getDimSize(type.getRank() - 1);
  if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(n) && m != n)
    return emitOpError("needs square matrices, got ") << type;
  return success();
}

LogicalResult TriangularSolveOp::verify() {
  auto a = llvm::cast<RankedTensorType>(getA().getType());
  auto b = llvm::cast<RankedTensorType>(getB().getType());
  // (C2) 2 <= rank(a) = rank(b) = R; (C3) batch dimensions agree.
  if (a.getRank() < 2)
    return emitOpError("a must be a batch of square matrices (rank >= 2), got ") << a;
  if (b.getRank() != a.getRank())
    return emitOpError("a ") << a << " and b " << b << " must have the same rank";
  int64_t r = a.getRank();
  if (failed(verifyCompatibleShape(a.getShape().drop_back(2), b.getShape().drop_back(2))))
    return emitOpError("a ") << a << " and b " << b
                             << " must have the same batch dimensions";
  // (C4) a is square; its size matches b's rows (left_side) or columns.
  int64_t m = a.getDimSize(r - 2), n = a.getDimSize(r - 1);
  if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(n) && m != n)
    return emitOpError("a must be square, got ") << a;
  int64_t bDim = b.getDimSize(getLeftSide() ? r - 2 : r - 1);
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(bDim) && n != bDim)
    return emitOpError("a ") << a << " does not match b " << b << " with left_side = "
                             << (getLeftSide() ? "true" : "false");
  if (getTransposeA() == Transpose::TRANSPOSE_INVALID)
    return emitOpError("transpose_a must not be TRANSPOSE_INVALID");
  return success();
}

//===----------------------------------------------------------------------===//
// fft
//===----------------------------------------------------------------------===//

LogicalResult FftOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto operand = rankedTensor(adaptor.getOperand().getType());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> length = adaptor.getFftLength();
  FftType kind = adaptor.getFftType();
  // (C1) 1 <= size(fft_length) <= 3 and fits the operand.
  if (length.empty() || length.size() > 3 ||
      static_cast<int64_t>(length.size()) > operand.getRank())
    return emitOptionalError(loc, "'stablehlo.fft' op fft_length needs 1 to 3 "
                                  "entries, at most the operand's rank ",
                             operand.getRank(), ", got ", length.size());
  Type element = operand.getElementType();
  bool complexIn = llvm::isa<ComplexType>(element);
  bool wantComplexIn = kind != FftType::RFFT;
  if (complexIn != wantComplexIn)
    return emitOptionalError(loc, "'stablehlo.fft' op ", stringifyFftType(kind),
                             " needs a ", wantComplexIn ? "complex" : "floating-point",
                             " operand, got ", operand);
  SmallVector<int64_t> shape(operand.getShape());
  size_t first = shape.size() - length.size();
  // The trailing dimensions match fft_length (IRFFT: the last is n/2 + 1).
  for (size_t i = 0; i < length.size(); ++i) {
    int64_t expected = length[i];
    if (kind == FftType::IRFFT && i + 1 == length.size())
      expected = length[i] / 2 + 1;
    int64_t dim = shape[first + i];
    if (!ShapedType::isDynamic(dim) && dim != expected)
      return emitOptionalError(loc, "'stablehlo.fft' op operand dimension ",
                               first + i, " of ", operand, " must be ", expected,
                               " for fft_length [", length[i], "...]");
  }
  Type resultElement = element;
  if (kind == FftType::RFFT) {
    resultElement = ComplexType::get(element);
    shape.back() = length.back() / 2 + 1;
  } else if (kind == FftType::IRFFT) {
    resultElement = llvm::cast<ComplexType>(element).getElementType();
    shape.back() = length.back();
  }
  inferred.push_back(RankedTensorType::get(shape, resultElement));
  return success();
}

//===----------------------------------------------------------------------===//
// batch_norm_training, batch_norm_inference, batch_norm_grad
//===----------------------------------------------------------------------===//

// The feature dimension's tensor type (1-D), after checking feature_index and
// that every 1-D operand has that size.
static FailureOr<RankedTensorType>
batchNormFeatureType(std::optional<Location> loc, StringRef opName, Value operand,
                     uint64_t featureIndex, ValueRange perFeature) {
  auto type = rankedTensor(operand.getType());
  if (!type)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  // (C2) 0 <= feature_index < rank(operand).
  if (static_cast<int64_t>(featureIndex) >= type.getRank())
    return emitOptionalError(loc, "'", opName, "' op feature_index ", featureIndex,
                             " is out of range for ", type);
  int64_t features = type.getDimSize(featureIndex);
  auto featureType = RankedTensorType::get({features}, type.getElementType());
  // (C3..) each 1-D operand has dim(operand, feature_index) elements.
  for (Value v : perFeature) {
    auto t = rankedTensor(v.getType());
    if (!t || t.getRank() != 1 ||
        (!ShapedType::isDynamic(features) && !t.isDynamicDim(0) &&
         t.getDimSize(0) != features))
      return emitOptionalError(loc, "'", opName, "' op ", v.getType(),
                               " must have the feature dimension's size ", features);
    if (t.getElementType() != type.getElementType())
      return emitOptionalError(loc, "'", opName, "' op ", v.getType(),
                               " must have the operand's element type");
  }
  return featureType;
}

LogicalResult BatchNormTrainingOp::inferReturnTypes(MLIRContext *,
                                                    std::optional<Location> loc,
                                                    Adaptor adaptor,
                                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> feature = batchNormFeatureType(
      loc, "stablehlo.batch_norm_training", adaptor.getOperand(),
      adaptor.getFeatureIndex(), {adaptor.getScale(), adaptor.getOffset()});
  if (failed(feature))
    return failure();
  inferred.push_back(adaptor.getOperand().getType());
  inferred.push_back(*feature);
  inferred.push_back(*feature);
  return success();
}

LogicalResult BatchNormInferenceOp::inferReturnTypes(MLIRContext *,
                                                     std::optional<Location> loc,
                                                     Adaptor adaptor,
                                                     SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> feature = batchNormFeatureType(
      loc, "stablehlo.batch_norm_inference", adaptor.getOperand(),
      adaptor.getFeatureIndex(),
      {adaptor.getScale(), adaptor.getOffset(), adaptor.getMean(),
       adaptor.getVariance()});
  if (failed(feature))
    return failure();
  inferred.push_back(adaptor.getOperand().getType());
  return success();
}

LogicalResult BatchNormGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> feature = batchNormFeatureType(
      loc, "stablehlo.batch_norm_grad", adaptor.getOperand(),
      adaptor.getFeatureIndex(),
      {adaptor.getScale(), adaptor.getMean(), adaptor.getVariance()});
  if (failed(feature))
    return failure();
  if (adaptor.getGradOutput().getType() != adaptor.getOperand().getType())
    return emitOptionalError(loc, "'stablehlo.batch_norm_grad' op grad_output ",
                             adaptor.getGradOutput().getType(),
                             " must have the operand's type ",
                             adaptor.getOperand().getType());
  inferred.push_back(adaptor.getOperand().getType());
  inferred.push_back(*feature);
  inferred.push_back(*feature);
  return success();
}
