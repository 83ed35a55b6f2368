//===- Collectives.cpp - partition ids, collectives, padding masks --------===//
//
// Every collective gets a fresh channel handle (type 1, device to device) and
// replica groups of PARTITION ids (use_global_device_ids where the op has
// it): the partitions that differ only in the axes communicated over, each
// group ordered by chunk index, which is the order all_gather concatenates
// and reduce_scatter/all_to_all split in.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {
RankedTensorType scalarOf(Type element) { return RankedTensorType::get({}, element); }

RankedTensorType withDim(RankedTensorType t, int64_t dim, int64_t size) {
  SmallVector<int64_t> shape(t.getShape());
  shape[dim] = size;
  return RankedTensorType::get(shape, t.getElementType());
}

// A scalar reduction body `bodyOp(lhs, rhs)` into `region`.
void buildScalarBody(OpBuilder &b, Location loc, Region &region, Type element,
                     StringRef bodyOp) {
  OpBuilder::InsertionGuard guard(b);
  Block *block = b.createBlock(&region);
  Type scalar = scalarOf(element);
  block->addArguments({scalar, scalar}, {loc, loc});
  OperationState state(loc, bodyOp);
  state.addOperands(block->getArguments());
  state.addTypes(scalar);
  Operation *op = b.create(state);
  hlo::ReturnOp::create(b, loc, op->getResults());
}
} // namespace

Value Partitioner::i32Constant(Location loc, int64_t value) {
  auto type = scalarOf(builder.getI32Type());
  return hlo::ConstantOp::create(builder, loc,
                                 DenseElementsAttr::get(type, builder.getI32IntegerAttr(value)));
}

Value Partitioner::scalarConstant(Location loc, Type element, double value) {
  auto type = scalarOf(element);
  Attribute attr;
  if (auto f = dyn_cast<FloatType>(element))
    attr = builder.getFloatAttr(f, value);
  else if (auto i = dyn_cast<IntegerType>(element))
    attr = builder.getIntegerAttr(i, APInt(i.getWidth(), (int64_t)value, /*isSigned=*/true));
  else
    return {};
  return hlo::ConstantOp::create(builder, loc, DenseElementsAttr::get(type, attr));
}

Value Partitioner::partitionId(Location loc) {
  auto u32 = scalarOf(IntegerType::get(builder.getContext(), 32, IntegerType::Unsigned));
  Value id = hlo::PartitionIdOp::create(builder, loc, u32);
  return hlo::ConvertOp::create(builder, loc, scalarOf(builder.getI32Type()), id);
}

Value Partitioner::lookupTable(Location loc, ArrayRef<int64_t> table) {
  if (llvm::all_equal(table))
    return i32Constant(loc, table.empty() ? 0 : table.front());
  SmallVector<int32_t> entries(table.begin(), table.end());
  auto type = RankedTensorType::get({(int64_t)entries.size()}, builder.getI32Type());
  Value constant =
      hlo::ConstantOp::create(builder, loc, DenseElementsAttr::get(type, ArrayRef(entries)));
  Value entry = hlo::DynamicSliceOp::create(builder, loc, constant,
                                            ValueRange{partitionId(loc)}, ArrayRef<int64_t>{1});
  return hlo::ReshapeOp::create(builder, loc, scalarOf(builder.getI32Type()), entry);
}

Value Partitioner::chunkStart(Location loc, ArrayRef<AxisPart> axes, int64_t chunkSize) {
  SmallVector<int64_t> table;
  for (int64_t p = 0, n = mesh.numDevices(); p < n; ++p)
    table.push_back(mesh.shardIndex(p, axes) * chunkSize);
  return lookupTable(loc, table);
}

hlo::ChannelHandleAttr Partitioner::newChannel() {
  return hlo::ChannelHandleAttr::get(builder.getContext(), nextChannel++, /*type=*/1);
}

DenseIntElementsAttr Partitioner::replicaGroups(ArrayRef<AxisPart> axes) {
  auto groups = mesh.groups(axes);
  SmallVector<int64_t> flat;
  for (auto &g : groups)
    flat.append(g.begin(), g.end());
  auto type = RankedTensorType::get({(int64_t)groups.size(), (int64_t)groups.front().size()},
                                    builder.getI64Type());
  return DenseIntElementsAttr::get(type, ArrayRef(flat));
}

Value Partitioner::allGather(Location loc, Value v, int64_t dim, ArrayRef<AxisPart> axes) {
  auto type = cast<RankedTensorType>(v.getType());
  auto result = withDim(type, dim, type.getDimSize(dim) * product(axes));
  auto op = hlo::AllGatherOp::create(builder, loc, TypeRange{result}, ValueRange{v},
                                     (uint64_t)dim, replicaGroups(axes), newChannel(),
                                     /*use_global_device_ids=*/true);
  return op->getResult(0);
}

Value Partitioner::allReduce(Location loc, Value v, ArrayRef<AxisPart> axes, StringRef bodyOp,
                             Region *body) {
  auto type = cast<RankedTensorType>(v.getType());
  auto op = hlo::AllReduceOp::create(builder, loc, TypeRange{type}, ValueRange{v},
                                     replicaGroups(axes), newChannel(),
                                     /*use_global_device_ids=*/true);
  if (body) {
    IRMapping mapping;
    body->cloneInto(&op.getComputation(), mapping);
  } else {
    buildScalarBody(builder, loc, op.getComputation(), type.getElementType(), bodyOp);
  }
  return op->getResult(0);
}

Value Partitioner::reduceScatter(Location loc, Value v, int64_t dim, ArrayRef<AxisPart> axes,
                                 StringRef bodyOp) {
  auto type = cast<RankedTensorType>(v.getType());
  auto result = withDim(type, dim, type.getDimSize(dim) / product(axes));
  auto op = hlo::ReduceScatterOp::create(builder, loc, result, v, (uint64_t)dim,
                                         replicaGroups(axes), newChannel(),
                                         /*use_global_device_ids=*/true);
  buildScalarBody(builder, loc, op.getComputation(), type.getElementType(), bodyOp);
  return op.getResult();
}

Value Partitioner::allToAll(Location loc, Value v, int64_t splitDim, int64_t concatDim,
                            ArrayRef<AxisPart> axes) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t k = product(axes);
  auto result = withDim(type, splitDim, type.getDimSize(splitDim) / k);
  result = withDim(result, concatDim, result.getDimSize(concatDim) * k);
  auto op = hlo::AllToAllOp::create(builder, loc, TypeRange{result}, ValueRange{v},
                                    (uint64_t)splitDim, (uint64_t)concatDim, (uint64_t)k,
                                    replicaGroups(axes), newChannel());
  return op->getResult(0);
}

Value Partitioner::collectivePermute(Location loc, Value v,
                                     ArrayRef<std::pair<int64_t, int64_t>> pairs) {
  SmallVector<int64_t> flat;
  for (auto [s, t] : pairs) {
    flat.push_back(s);
    flat.push_back(t);
  }
  auto type = RankedTensorType::get({(int64_t)pairs.size(), 2}, builder.getI64Type());
  return hlo::CollectivePermuteOp::create(builder, loc, v.getType(), v,
                                          DenseIntElementsAttr::get(type, ArrayRef(flat)),
                                          newChannel());
}

Value Partitioner::maskPadding(Location loc, Value local, RankedTensorType global,
                               const Sharding &s, ArrayRef<int64_t> dims, Value fill) {
  auto type = cast<RankedTensorType>(local.getType());
  auto i32 = builder.getI32Type();
  auto indexType = RankedTensorType::get(type.getShape(), i32);
  auto maskType = RankedTensorType::get(type.getShape(), builder.getI1Type());
  Value mask;
  for (int64_t d : dims) {
    if (!hasPadding(global, s, d))
      continue;
    Value iota = hlo::IotaOp::create(builder, loc, indexType, (uint64_t)d);
    Value start = chunkStart(loc, s.dims[d], type.getDimSize(d));
    Value startB = hlo::BroadcastInDimOp::create(builder, loc, indexType, start,
                                                 ArrayRef<int64_t>{});
    Value index = hlo::AddOp::create(builder, loc, iota, startB);
    Value limit = hlo::BroadcastInDimOp::create(
        builder, loc, indexType, i32Constant(loc, global.getDimSize(d)), ArrayRef<int64_t>{});
    Value inside = hlo::CompareOp::create(builder, loc, maskType, index, limit,
                                          hlo::ComparisonDirection::LT, {});
    mask = mask ? Value(hlo::AndOp::create(builder, loc, mask, inside)) : inside;
  }
  if (!mask)
    return local;
  Value fillB = hlo::BroadcastInDimOp::create(builder, loc, type, fill, ArrayRef<int64_t>{});
  return hlo::SelectOp::create(builder, loc, type, mask, local, fillB);
}

} // namespace hlox::spmd
