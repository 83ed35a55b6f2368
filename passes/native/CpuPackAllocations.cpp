//===- CpuPackAllocations.cpp - a function's temporaries in one arena -----===//
//
// hlox-cpu-pack-allocations (on bufferized code, after
// buffer-deallocation-pipeline): the temporary buffers of a function share
// one arena, placed by liveness, as XLA's buffer assignment does.
//
// The ownership-based deallocation frees every temporary at the end of its
// block, so a program's peak memory is the sum of all its temporaries, and
// each call mallocs (mmaps, for large ones: a page-fault storm) each of them
// again. Here every `memref.alloc` at the top level of a single-block
// function, of static shape and identity layout, whose buffer does not leave
// the function, gets a live range: from the alloc to the last top-level op
// using it or anything derived from it (views, casts, call results). Buffers
// whose ranges do not overlap may share bytes; offsets are chosen
// greedily, largest buffer first, at the lowest aligned offset free during
// its whole range (first fit). The allocs become `memref.view`s of one
// `memref.alloc` of i8 at the function's start, freed before its return.
//
// A buffer is left alone (kept as its own alloc) when anything could make its
// lifetime longer than its uses show: it is returned, yielded out of a region,
// passed into a loop's iteration arguments or a branch, freed conditionally
// or by bufferization.dealloc, or its address is taken
// (extract_aligned_pointer_as_index: the ownership checks compare addresses).
// Sub-byte element types (i1, i4: widened later) and complex numbers keep
// their allocs too.
//
// The module gets `hlox.temp_bytes`: the functions' arenas plus the static
// size of every alloc left (nested ones counted once, as if all were live at
// once: an upper bound), and `hlox.dynamic_temps`, the number of allocs whose
// size is known only at run time. The CPU executable reports them in
// Compiled.memory_analysis().
//
//===----------------------------------------------------------------------===//
#include "passes/native/CpuPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

constexpr int64_t kDefaultAlignment = 64;

/// One temporary: its alloc, byte size, alignment, live range (indices of
/// top-level ops of the function's block) and, once placed, its offset.
struct Buffer {
  memref::AllocOp alloc;
  SmallVector<memref::DeallocOp> deallocs;
  int64_t bytes = 0;
  int64_t alignment = kDefaultAlignment;
  int64_t start = 0, end = 0;
  int64_t offset = 0;
};

/// Bytes of a static, identity-layout memref of whole-byte ints or floats;
/// 0 for anything else.
int64_t packableBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() || type.getMemorySpace())
    return 0;
  Type element = type.getElementType();
  if (!isa<IntegerType, FloatType>(element))
    return 0;
  unsigned bits = element.getIntOrFloatBitWidth();
  if (bits == 0 || bits % 8 != 0)
    return 0;
  int64_t bytes = bits / 8;
  for (int64_t size : type.getShape()) {
    if (size != 0 && bytes > INT64_MAX / size)
      return 0;
    bytes *= size;
  }
  return bytes;
}

/// Bytes of one element in memory (sub-byte types take a byte: they are
/// widened before the LLVM lowering).
int64_t elementBytes(Type element) {
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * elementBytes(complex.getElementType());
  if (element.isIntOrFloat())
    return (std::max<int64_t>(element.getIntOrFloatBitWidth(), 8) + 7) / 8;
  return 8;  // index
}

bool escapes(Operation *user) {
  return isa<func::ReturnOp, scf::YieldOp, scf::ConditionOp, cf::BranchOp, cf::CondBranchOp,
             bufferization::DeallocOp, memref::ExtractAlignedPointerAsIndexOp>(user);
}

/// Fills `buffer`'s live range and deallocs from the uses of its alloc and of
/// every value derived from it; false when the buffer may outlive them.
bool findLiveRange(Buffer &buffer, Block &block, const DenseMap<Operation *, int64_t> &index) {
  SmallVector<Value> worklist{buffer.alloc.getResult()};
  DenseSet<Value> seen{buffer.alloc.getResult()};
  buffer.start = buffer.end = index.lookup(buffer.alloc);
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
        if (value != buffer.alloc.getResult() || dealloc->getBlock() != &block)
          return false;  // freed through an alias or conditionally
        buffer.deallocs.push_back(dealloc);
        continue;
      }
      if (escapes(user))
        return false;
      // A loop or branch receiving the buffer as an operand (an iteration
      // argument) would alias it under another name inside.
      if (isa<RegionBranchOpInterface>(user))
        return false;
      Operation *top = block.findAncestorOpInBlock(*user);
      if (!top)
        return false;
      buffer.end = std::max(buffer.end, index.lookup(top));
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()) && seen.insert(result).second)
          worklist.push_back(result);
    }
  }
  // Freed exactly once, at the end of the block (ownership-based deallocation).
  return buffer.deallocs.size() == 1;
}

int64_t alignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

/// First fit, largest first: each buffer at the lowest aligned offset whose
/// bytes no already-placed buffer live at the same time occupies. Returns the
/// arena's size.
int64_t placeBuffers(SmallVector<Buffer> &buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    order.push_back(&buffer);
  llvm::stable_sort(order, [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  SmallVector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *buffer : order) {
    SmallVector<Buffer *> overlapping;
    for (Buffer *other : placed)
      if (other->start <= buffer->end && buffer->start <= other->end)
        overlapping.push_back(other);
    llvm::sort(overlapping, [](Buffer *a, Buffer *b) { return a->offset < b->offset; });
    int64_t offset = 0;
    for (Buffer *other : overlapping) {
      if (alignUp(offset, buffer->alignment) + buffer->bytes <= other->offset)
        break;
      offset = std::max(offset, other->offset + other->bytes);
    }
    buffer->offset = alignUp(offset, buffer->alignment);
    total = std::max(total, buffer->offset + buffer->bytes);
    placed.push_back(buffer);
  }
  return total;
}

struct PackAllocations : PassWrapper<PackAllocations, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PackAllocations)

  StringRef getArgument() const final { return "hlox-cpu-pack-allocations"; }
  StringRef getDescription() const final {
    return "Place a function's temporary buffers in one arena by liveness (buffers live "
           "at different times share bytes; one allocation per call)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, memref::MemRefDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>())
      packFunction(func);
    recordTemporaryBytes(module);
  }

  static void packFunction(func::FuncOp func) {
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    int64_t position = 0;
    for (Operation &op : block)
      index[&op] = position++;

    SmallVector<Buffer> buffers;
    for (auto alloc : block.getOps<memref::AllocOp>()) {
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.bytes = packableBytes(alloc.getType());
      if (buffer.bytes == 0)
        continue;
      if (std::optional<uint64_t> alignment = alloc.getAlignment())
        buffer.alignment = std::max<int64_t>(kDefaultAlignment, *alignment);
      if (findLiveRange(buffer, block, index))
        buffers.push_back(std::move(buffer));
    }
    if (buffers.size() >= 2)  // (one alone has nothing to share)
      packIntoArena(func, block, buffers);
  }

  /// The `hlox.temp_bytes` and `hlox.dynamic_temps` attributes (see the top).
  static void recordTemporaryBytes(ModuleOp module) {
    int64_t bytes = 0, dynamic = 0;
    module.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape()) {
        ++dynamic;
        return;
      }
      int64_t size = elementBytes(type.getElementType());
      for (int64_t dim : type.getShape())
        size = dim != 0 && size > INT64_MAX / dim ? INT64_MAX : size * dim;
      bytes = bytes > INT64_MAX - size ? INT64_MAX : bytes + size;
    });
    Builder builder(module.getContext());
    module->setAttr("hlox.temp_bytes", builder.getI64IntegerAttr(bytes));
    module->setAttr("hlox.dynamic_temps", builder.getI64IntegerAttr(dynamic));
  }

  static void packIntoArena(func::FuncOp func, Block &block, SmallVector<Buffer> &buffers) {
    int64_t arenaBytes = placeBuffers(buffers);
    int64_t arenaAlignment = kDefaultAlignment;
    for (const Buffer &buffer : buffers)
      arenaAlignment = std::max(arenaAlignment, buffer.alignment);

    OpBuilder builder(&block, block.begin());
    Location loc = func.getLoc();
    auto arenaType = MemRefType::get({arenaBytes}, builder.getI8Type());
    auto arena = memref::AllocOp::create(builder, loc, arenaType,
                                         builder.getI64IntegerAttr(arenaAlignment));
    for (Buffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(builder, buffer.alloc.getLoc(), buffer.offset);
      auto view = memref::ViewOp::create(builder, buffer.alloc.getLoc(), buffer.alloc.getType(),
                                         arena, offset, ValueRange{});
      buffer.alloc.getResult().replaceAllUsesWith(view.getResult());
      buffer.alloc.erase();
      for (memref::DeallocOp dealloc : buffer.deallocs)
        dealloc.erase();
    }
    builder.setInsertionPoint(block.getTerminator());
    memref::DeallocOp::create(builder, loc, arena);
  }
};

} // namespace

void hlox::registerCpuPackAllocationsPass() { PassRegistration<PackAllocations>(); }
