//===- SdyPropagateState.cpp - tensors' states, to and from sdy attributes ===//
#include "passes/native/SdyPropagateState.h"

using namespace hlox::sdy_propagation;
using namespace mlir;

std::optional<TensorId> PropagationState::idOf(Value value) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return std::nullopt;
  auto [it, inserted] = ids.try_emplace(value, tensors.size());
  if (inserted)
    addVirtual(type.getShape());
  return it->second;
}

TensorId PropagationState::addVirtual(ArrayRef<int64_t> shape) {
  TensorState tensor;
  tensor.shape.assign(shape.begin(), shape.end());
  tensor.dims.resize(shape.size());
  tensors.push_back(std::move(tensor));
  return tensors.size() - 1;
}

ArrayRef<int64_t> hlox::sdy_propagation::shapeOf(Value value) {
  return llvm::cast<RankedTensorType>(value.getType()).getShape();
}

int hlox::sdy_propagation::addValue(Rule &rule, PropagationState &state, Value value) {
  std::optional<TensorId> id = state.idOf(value);
  if (!id)
    return -1;
  return rule.addTensor(*id, shapeOf(value).size());
}

namespace {

FailureOr<Axis> toAxis(sdy::AxisRefAttr ref, sdy::MeshAttr mesh, Attribute meshRef,
                       function_ref<InFlightDiagnostic()> emitError) {
  int64_t size = mesh.getAxisSize(ref.getName());
  if (size == 0) {
    emitError() << "sharding axis \"" << ref.getName() << "\" is not in mesh " << meshRef;
    return failure();
  }
  if (ref.getPreSize() > 0 && (size % (ref.getPreSize() * ref.getSize()) != 0)) {
    emitError() << "sub-axis \"" << ref.getName() << "\":(" << ref.getPreSize() << ")"
                << ref.getSize() << " does not fit mesh axis of size " << size;
    return failure();
  }
  return Axis{ref.getName(), ref.getPreSize(), ref.getPreSize() > 0 ? ref.getSize() : size};
}

LogicalResult appendAxes(ArrayRef<sdy::AxisRefAttr> refs, sdy::MeshAttr mesh, Attribute meshRef,
                         function_ref<InFlightDiagnostic()> emitError, AxisList &out) {
  for (sdy::AxisRefAttr ref : refs) {
    FailureOr<Axis> axis = toAxis(ref, mesh, meshRef, emitError);
    if (failed(axis))
      return failure();
    out.push_back(*axis);
  }
  return success();
}

sdy::AxisRefAttr toAttr(MLIRContext *ctx, const Axis &axis) {
  return sdy::AxisRefAttr::get(ctx, axis.name, axis.preSize, axis.preSize > 0 ? axis.size : 0);
}

} // namespace

FailureOr<Annotation> hlox::sdy_propagation::readAnnotation(
    sdy::TensorShardingAttr attr, Type type, Operation *scope,
    function_ref<InFlightDiagnostic()> emitError) {
  sdy::MeshAttr mesh = attr.getMesh(scope);
  if (!mesh) {
    emitError() << "sharding refers to unknown mesh " << attr.getMeshOrRef();
    return failure();
  }
  Annotation out;
  out.meshRef = attr.getMeshOrRef();
  out.attr = attr;
  auto ranked = llvm::dyn_cast<RankedTensorType>(type);
  int64_t rank = ranked ? ranked.getRank() : 0;
  if (int64_t(attr.getDims().size()) != rank) {
    emitError() << "sharding " << attr << " has " << attr.getDims().size()
                << " dimensions but the value has rank " << rank;
    return failure();
  }
  AxisList all;
  for (sdy::DimensionShardingAttr dim : attr.getDims()) {
    DimState state;
    state.closed = dim.getIsClosed();
    if (failed(appendAxes(dim.getAxes(), mesh, out.meshRef, emitError, state.axes)))
      return failure();
    all.append(state.axes.begin(), state.axes.end());
    out.dims.push_back(std::move(state));
    out.priorities.push_back(std::max<int64_t>(dim.getPriority(), 0));
  }
  if (failed(appendAxes(attr.getReplicated(), mesh, out.meshRef, emitError, out.reserved)) ||
      failed(appendAxes(attr.getUnreduced(), mesh, out.meshRef, emitError, out.reserved)))
    return failure();
  all.append(out.reserved.begin(), out.reserved.end());
  for (auto [i, a] : llvm::enumerate(all))
    for (const Axis &b : ArrayRef<Axis>(all).drop_front(i + 1))
      if (a.overlaps(b) && (a.preSize == 0 || b.preSize == 0 || a == b)) {
        emitError() << "sharding " << attr << " uses mesh axis \"" << a.name << "\" twice";
        return failure();
      }
  return out;
}

void hlox::sdy_propagation::applyAnnotation(const Annotation &annotation, int64_t round,
                                            TensorState &tensor) {
  tensor.explicitlyGiven = true;
  tensor.reserved = annotation.reserved;
  for (auto [d, dim] : llvm::enumerate(annotation.dims)) {
    if (annotation.priorities[d] != round)
      continue;
    DimState &current = tensor.dims[d];
    if (round == 0) {
      current = dim;
      continue;
    }
    // A later round's annotation only extends what higher priorities
    // propagated, and never with an axis another dimension already uses.
    current.closed = dim.closed;
    if (!isPrefix(current.axes, dim.axes))
      continue;
    for (const Axis &a : ArrayRef<Axis>(dim.axes).drop_front(current.axes.size())) {
      bool used = false;
      for (auto [e, other] : llvm::enumerate(tensor.dims))
        used |= e != d && llvm::any_of(other.axes, [&](const Axis &b) { return b.overlaps(a); });
      if (used)
        break;
      current.axes.push_back(a);
    }
  }
}

sdy::TensorShardingAttr hlox::sdy_propagation::writeSharding(MLIRContext *ctx, Attribute meshRef,
                                                             const TensorState &tensor,
                                                             const Annotation *original) {
  SmallVector<sdy::DimensionShardingAttr> dims;
  for (const DimState &dim : tensor.dims) {
    SmallVector<sdy::AxisRefAttr> axes;
    for (const Axis &a : dim.axes)
      axes.push_back(toAttr(ctx, a));
    dims.push_back(sdy::DimensionShardingAttr::get(ctx, axes, /*isClosed=*/true, -1));
  }
  ArrayRef<sdy::AxisRefAttr> replicated, unreduced;
  StringRef reduction;
  if (original) {
    replicated = original->attr.getReplicated();
    unreduced = original->attr.getUnreduced();
    reduction = original->attr.getReduction();
  }
  return sdy::TensorShardingAttr::get(ctx, meshRef, dims, replicated, unreduced, reduction);
}
