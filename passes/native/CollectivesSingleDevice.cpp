//===- CollectivesSingleDevice.cpp - collectives on one device ------------===//
//
// all_reduce, all_gather, reduce_scatter, all_to_all, collective_broadcast
// and collective_permute are the identity when every process is alone in
// its group: replica groups of size 1, or the single implicit group ([N, 0]
// groups) of a one-device module (mhlo.num_replicas * mhlo.num_partitions
// == 1 on the module, or absent); collective_permute when every pair sends
// a process to itself. The results then have the operands' types. Anything
// else is an error naming the op: this backend runs on one device.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

bool singleDeviceModule(Operation *op) {
  auto module = op->getParentOfType<ModuleOp>();
  int64_t devices = 1;
  for (StringRef name : {"mhlo.num_replicas", "mhlo.num_partitions"})
    if (module)
      if (auto attr = module->getAttrOfType<IntegerAttr>(name))
        devices *= attr.getInt();
  return devices == 1;
}

bool aloneInGroups(Operation *op, DenseIntElementsAttr groups) {
  auto type = cast<ShapedType>(groups.getType());
  if (type.getRank() != 2)
    return false;
  if (type.getDimSize(1) == 1)
    return true;
  return type.getDimSize(1) == 0 && singleDeviceModule(op);
}

template <typename OpTy>
struct CollectiveIdentity : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *operation = op.getOperation();
    bool identity;
    if constexpr (std::is_same_v<OpTy, hlo::CollectivePermuteOp>) {
      auto pairs = llvm::to_vector(op.getSourceTargetPairs().template getValues<int64_t>());
      identity = singleDeviceModule(operation);
      for (size_t i = 0; i + 1 < pairs.size(); i += 2)
        identity &= pairs[i] == pairs[i + 1];
    } else {
      identity = aloneInGroups(operation, op.getReplicaGroups());
    }
    ValueRange operands = adaptor.getOperands();
    if (identity && operands.size() == operation->getNumResults()) {
      for (auto [v, r] : llvm::zip(operands, operation->getResults()))
        if (v.getType() != this->getTypeConverter()->convertType(r.getType()))
          identity = false;
    } else {
      identity = false;
    }
    if (!identity) {
      operation->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << operation->getName()
                             << "' communicates between devices; the CPU backend runs "
                                "on one device (only groups of one process are supported)";
      return failure();
    }
    rewriter.replaceOp(op, operands);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateCollectivePatterns(const TypeConverter &converter,
                                                       RewritePatternSet &patterns) {
  patterns.add<CollectiveIdentity<hlo::AllReduceOp>, CollectiveIdentity<hlo::AllGatherOp>,
               CollectiveIdentity<hlo::ReduceScatterOp>, CollectiveIdentity<hlo::AllToAllOp>,
               CollectiveIdentity<hlo::CollectiveBroadcastOp>,
               CollectiveIdentity<hlo::CollectivePermuteOp>>(converter, patterns.getContext());
}
