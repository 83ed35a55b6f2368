//===- CpuLoopOutlining.cpp - loop nests as functions, parallel on a pool -===//
//
// Two CPU backend passes around the LLVM lowering.
//
// hlox-cpu-outline-loops (on bufferized scf, before convert-scf-to-cf):
//
// 1. Every scf.parallel without reductions that is not nested in another
//    scf.parallel, whose estimated work (operations x trip counts, a vector op
//    counting its lanes) reaches `min-parallel-work`, becomes a private
//    function @__hlox_parallel_N(%begin, %end, captured values...) running
//    the iterations [begin, end) of its first dimension; the loop is replaced
//    by a call over all of them. (The first dimension that runs more than
//    once, in fact: a leading batch of one would leave nothing to share.)
//    Its attribute hlox.parallel_min_chunk says how many iterations are
//    worth a thread (`min-chunk-work` of work).
// 2. Every remaining outermost loop nest (scf.for, scf.parallel, scf.while
//    without results) of at least `min-outline-ops` operations (default 1:
//    all; LLVM's loop passes, IndVarSimplify first, grow super-linearly with
//    the loops of one function, and a call costs less than a loop) becomes a
//    private function @__hlox_loop_N(captured values...) called in its place,
//    marked hlox.outlined: LLVM optimizes each function on its own, so its
//    cost grows with the program instead of super-linearly in one huge @main.
//
// 3. Outlined functions that are the same (type, attributes and body, up to
//    names and locations) become one: the calls of the later ones call the
//    first. A model's repeated layers, their gradients and an optimizer's
//    per-parameter updates give many equal loop nests (a 2-block GPT training
//    step: 493 outlined functions, 167 different), and LLVM's time grows with
//    the functions it compiles.
//
// Constants used inside are cloned into the function (LLVM keeps seeing
// constant bounds); other values defined above become arguments. A loop that
// captures a value of a type we do not pass (complex, tuples...) stays put.
// The calls are plain serial calls: the program is correct as it stands.
//
// hlox-cpu-parallel-launch (on the LLVM dialect, after the whole lowering)
// turns each call of a function carrying hlox.parallel_min_chunk into
//
//   %context = alloca {captured values}  ; stores of the call's arguments
//   call @hlox_rt_parallel_for(@__hlox_parallel_N_body, %context, %n, min_chunk)
//
// where the new @__hlox_parallel_N_body(context, begin, end) loads the values
// and calls the kernel on [begin, end). Only the values the kernel reads are
// packed (its folded body decides; the others are passed as poison): of a
// static memref's descriptor that is the aligned pointer alone, not its sizes
// and strides. Storing and loading all fields made most of a training step's
// @main (7.9k stores of 466 calls) and cost LLVM time for nothing. hlox_rt_parallel_for
// (backends/cpu/runtime/threads.cpp) splits [0, n) into fixed chunks over the
// process's thread pool. Only iterations of an scf.parallel are split: each
// writes its own outputs (no reduction is divided), so results do not depend
// on the thread count. Outlined serial loops get no_inline, so that LLVM does
// not merge them back.
//
//===----------------------------------------------------------------------===//
#include "passes/native/CpuPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

constexpr const char *kMinChunkAttr = "hlox.parallel_min_chunk";
constexpr const char *kOutlinedAttr = "hlox.outlined";
constexpr const char *kRuntimeParallelFor = "hlox_rt_parallel_for";
constexpr int64_t kUnknownTripCount = 16;

//===----------------------------------------------------------------------===//
// Work estimate
//===----------------------------------------------------------------------===//

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  if (a > INT64_MAX / b)
    return INT64_MAX;
  return a * b;
}

int64_t saturatingAdd(int64_t a, int64_t b) {
  return a > INT64_MAX - b ? INT64_MAX : a + b;
}

int64_t tripCount(Value lower, Value upper, Value step) {
  std::optional<int64_t> lb = getConstantIntValue(lower), ub = getConstantIntValue(upper),
                         st = getConstantIntValue(step);
  if (!lb || !ub || !st || *st <= 0)
    return kUnknownTripCount;
  return *ub <= *lb ? 0 : (*ub - *lb + *st - 1) / *st;
}

int64_t workOf(Operation *op);

int64_t workOf(Region &region) {
  int64_t work = 0;
  for (Block &block : region)
    for (Operation &op : block)
      work = saturatingAdd(work, workOf(&op));
  return work;
}

/// Operations executed by `op`, loops multiplied by their trip counts and a
/// vector result counted per lane.
int64_t workOf(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return saturatingMul(
        tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()),
        workOf(loop.getRegion()));
  if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    int64_t trips = 1;
    for (auto [lb, ub, st] :
         llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))
      trips = saturatingMul(trips, tripCount(lb, ub, st));
    return saturatingMul(trips, workOf(loop.getRegion()));
  }
  if (isa<scf::WhileOp>(op))
    return saturatingMul(kUnknownTripCount,
                         saturatingAdd(workOf(op->getRegion(0)), workOf(op->getRegion(1))));
  int64_t work = 1;
  for (Type type : op->getResultTypes())
    if (auto vector = dyn_cast<VectorType>(type))
      work = std::max<int64_t>(work, vector.getNumElements());
  for (Region &region : op->getRegions())
    work = saturatingAdd(work, workOf(region));
  return work;
}

//===----------------------------------------------------------------------===//
// Outlining
//===----------------------------------------------------------------------===//

bool isScalarPassable(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    type = vector.getElementType();
  return type.isIntOrIndexOrFloat();
}

bool isPassable(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return !memref.getLayout() || memref.getLayout().isIdentity() ||
           isa<StridedLayoutAttr>(memref.getLayout());
  return isScalarPassable(type);
}

bool isClonableConstant(Operation *op) {
  return op && op->hasTrait<OpTrait::ConstantLike>() && op->getNumOperands() == 0 &&
         op->getNumRegions() == 0;
}

struct Captures {
  SmallVector<Operation *> constants;
  SmallVector<Value> arguments;
};

/// The values `loop` uses from above (its operands included), or nullopt when
/// one of them cannot be a function argument.
std::optional<Captures> capturesOf(Operation *loop) {
  llvm::SetVector<Value> used;
  for (Value operand : loop->getOperands())
    used.insert(operand);
  getUsedValuesDefinedAbove(loop->getRegions(), used);
  Captures captures;
  llvm::SmallPtrSet<Operation *, 8> seenConstants;
  for (Value value : used) {
    Operation *def = value.getDefiningOp();
    if (isClonableConstant(def)) {
      if (seenConstants.insert(def).second)
        captures.constants.push_back(def);
      continue;
    }
    if (!isPassable(value.getType()))
      return std::nullopt;
    captures.arguments.push_back(value);
  }
  return captures;
}

/// A private function after `parent` holding a clone of `loop`, taking
/// `leading` extra index arguments and then the captured values.
std::pair<func::FuncOp, Operation *> outline(Operation *loop, const Captures &captures,
                                             func::FuncOp parent, StringRef name,
                                             unsigned leading) {
  MLIRContext *context = loop->getContext();
  Location loc = loop->getLoc();
  SmallVector<Type> argumentTypes(leading, IndexType::get(context));
  for (Value value : captures.arguments)
    argumentTypes.push_back(value.getType());
  OpBuilder builder(parent);
  builder.setInsertionPointAfter(parent);
  auto function = func::FuncOp::create(builder, loc, name,
                                       FunctionType::get(context, argumentTypes, {}));
  function.setPrivate();
  Block *entry = function.addEntryBlock();
  OpBuilder body = OpBuilder::atBlockBegin(entry);
  IRMapping mapping;
  for (auto [index, value] : llvm::enumerate(captures.arguments))
    mapping.map(value, entry->getArgument(leading + index));
  for (Operation *constant : captures.constants)
    body.clone(*constant, mapping);
  Operation *clone = body.clone(*loop, mapping);
  func::ReturnOp::create(body, loc);
  return {function, clone};
}

struct OutlineLoops : PassWrapper<OutlineLoops, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(OutlineLoops)

  OutlineLoops() = default;
  OutlineLoops(const OutlineLoops &other) : PassWrapper(other) {}

  StringRef getArgument() const final { return "hlox-cpu-outline-loops"; }
  StringRef getDescription() const final {
    return "Outline loop nests into functions: parallel ones as thread-pool kernels "
           "(hlox_rt_parallel_for), the others to keep LLVM's cost linear";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect, scf::SCFDialect>();
  }

  Option<int64_t> minParallelWork{*this, "min-parallel-work",
                                  llvm::cl::desc("estimated operations from which a "
                                                 "parallel loop runs on the thread pool"),
                                  llvm::cl::init(1 << 16)};
  Option<int64_t> minChunkWork{*this, "min-chunk-work",
                               llvm::cl::desc("estimated operations worth one thread"),
                               llvm::cl::init(1 << 14)};
  Option<int64_t> minOutlineOps{*this, "min-outline-ops",
                                llvm::cl::desc("operations from which a serial loop nest "
                                               "becomes a function (0: none)"),
                                llvm::cl::init(1)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    unsigned counter = 0;
    auto freshName = [&](StringRef prefix) {
      std::string name;
      do
        name = (prefix + Twine(counter++)).str();
      while (module.lookupSymbol(name));
      return name;
    };
    for (func::FuncOp function : functions) {
      if (function.isExternal() || function->hasAttr(kOutlinedAttr) ||
          function->hasAttr(kMinChunkAttr))
        continue;
      outlineParallelLoops(function, freshName);
      if (minOutlineOps > 0)
        outlineSerialLoops(function, freshName);
    }
    mergeEqualOutlinedFunctions(module);
  }

  /// Step 3: each outlined function equal to an earlier one is erased, its
  /// calls (this pass made them all: func.call) redirected to that one.
  void mergeEqualOutlinedFunctions(ModuleOp module) {
    llvm::DenseMap<llvm::hash_code, SmallVector<func::FuncOp>> seen;
    llvm::DenseMap<StringAttr, FlatSymbolRefAttr> replacement;
    SmallVector<func::FuncOp> duplicates;
    for (func::FuncOp function : module.getOps<func::FuncOp>()) {
      if (!function->hasAttr(kOutlinedAttr) && !function->hasAttr(kMinChunkAttr))
        continue;
      SmallVector<func::FuncOp> &bucket = seen[structuralHash(function)];
      auto same = llvm::find_if(bucket, [&](func::FuncOp earlier) {
        return areEqualFunctions(earlier, function);
      });
      if (same == bucket.end()) {
        bucket.push_back(function);
        continue;
      }
      replacement[function.getSymNameAttr()] = FlatSymbolRefAttr::get(same->getSymNameAttr());
      duplicates.push_back(function);
    }
    if (duplicates.empty())
      return;
    module.walk([&](func::CallOp call) {
      auto it = replacement.find(call.getCalleeAttr().getAttr());
      if (it != replacement.end())
        call.setCalleeAttr(it->second);
    });
    for (func::FuncOp duplicate : duplicates)
      duplicate.erase();
  }

  /// A hash of the function's type and of every operation in it (name,
  /// attributes, properties, types), the same for functions areEqualFunctions
  /// calls equal.
  static llvm::hash_code structuralHash(func::FuncOp function) {
    llvm::hash_code hash = llvm::hash_value(function.getFunctionType().getAsOpaquePointer());
    function.getBody().walk([&](Operation *op) {
      hash = llvm::hash_combine(
          hash, OperationEquivalence::computeHash(op, OperationEquivalence::ignoreHashValue,
                                                  OperationEquivalence::ignoreHashValue,
                                                  OperationEquivalence::IgnoreLocations));
    });
    return hash;
  }

  static bool areEqualFunctions(func::FuncOp a, func::FuncOp b) {
    if (a.getFunctionType() != b.getFunctionType())
      return false;
    if (a->getDiscardableAttrDictionary() != b->getDiscardableAttrDictionary() ||
        a.getArgAttrsAttr() != b.getArgAttrsAttr() || a.getResAttrsAttr() != b.getResAttrsAttr())
      return false;
    return OperationEquivalence::isRegionEquivalentTo(&a.getBody(), &b.getBody(),
                                                      OperationEquivalence::IgnoreLocations);
  }

  template <typename Namer>
  void outlineParallelLoops(func::FuncOp parent, Namer &freshName) {
    SmallVector<scf::ParallelOp> candidates;
    parent.walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      candidates.push_back(loop);
      return WalkResult::skip();  // nested parallel loops run inside this one
    });
    for (scf::ParallelOp loop : candidates) {
      if (loop.getNumReductions() != 0 || loop.getNumLoops() == 0)
        continue;
      int64_t work = workOf(loop);
      if (work < minParallelWork)
        continue;
      std::optional<Captures> captures = capturesOf(loop);
      if (!captures)
        continue;
      // Split the first dimension that runs more than once (leading unit
      // dimensions, as in a batch of one, would leave nothing to share).
      unsigned split = 0;
      while (split + 1 < loop.getNumLoops() &&
             tripCount(loop.getLowerBound()[split], loop.getUpperBound()[split],
                       loop.getStep()[split]) == 1)
        ++split;
      int64_t splitTrips = tripCount(loop.getLowerBound()[split], loop.getUpperBound()[split],
                                     loop.getStep()[split]);
      int64_t perIteration = std::max<int64_t>(1, work / std::max<int64_t>(1, splitTrips));
      int64_t minChunk = std::max<int64_t>(1, (minChunkWork + perIteration - 1) / perIteration);

      auto [kernel, clone] = outline(loop, *captures, parent, freshName("__hlox_parallel_"), 2);
      kernel->setAttr(kMinChunkAttr, IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                                       minChunk));
      // The kernel runs iterations [begin, end) of that dimension:
      // lb + begin*step up to min(lb + end*step, ub).
      auto inner = cast<scf::ParallelOp>(clone);
      Location loc = inner.getLoc();
      OpBuilder builder(inner);
      Block &entry = kernel.getBody().front();
      Value lb = inner.getLowerBound()[split], ub = inner.getUpperBound()[split],
            step = inner.getStep()[split];
      Value begin = arith::AddIOp::create(
          builder, loc, lb, arith::MulIOp::create(builder, loc, entry.getArgument(0), step));
      Value end = arith::MinSIOp::create(
          builder, loc,
          arith::AddIOp::create(builder, loc, lb,
                                arith::MulIOp::create(builder, loc, entry.getArgument(1), step)),
          ub);
      unsigned dims = inner.getNumLoops();
      inner->setOperand(split, begin);
      inner->setOperand(dims + split, end);

      // The call site: all its iterations, ceil((ub - lb) / step).
      OpBuilder call(loop);
      Location callLoc = loop.getLoc();
      Value zero = arith::ConstantIndexOp::create(call, callLoc, 0);
      Value trips = call.createOrFold<arith::CeilDivSIOp>(
          callLoc,
          call.createOrFold<arith::SubIOp>(callLoc, loop.getUpperBound()[split],
                                           loop.getLowerBound()[split]),
          loop.getStep()[split]);
      trips = call.createOrFold<arith::MaxSIOp>(callLoc, trips, zero);
      SmallVector<Value> arguments{zero, trips};
      arguments.append(captures->arguments.begin(), captures->arguments.end());
      func::CallOp::create(call, callLoc, kernel, arguments);
      loop.erase();
    }
  }

  template <typename Namer>
  void outlineSerialLoops(func::FuncOp parent, Namer &freshName) {
    SmallVector<Operation *> candidates;
    parent.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (!isa<scf::ForOp, scf::ParallelOp, scf::WhileOp>(op))
        return WalkResult::advance();
      if (op->getNumResults() == 0) {
        candidates.push_back(op);
        return WalkResult::skip();
      }
      return WalkResult::advance();  // a loop carrying values: look inside
    });
    for (Operation *loop : candidates) {
      int64_t ops = 0;
      loop->walk([&](Operation *) { ++ops; });
      if (ops < minOutlineOps)
        continue;
      std::optional<Captures> captures = capturesOf(loop);
      if (!captures)
        continue;
      auto [function, clone] = outline(loop, *captures, parent, freshName("__hlox_loop_"), 0);
      function->setAttr(kOutlinedAttr, UnitAttr::get(&getContext()));
      OpBuilder call(loop);
      func::CallOp::create(call, loop->getLoc(), function, captures->arguments);
      loop->erase();
    }
  }
};

//===----------------------------------------------------------------------===//
// hlox-cpu-parallel-launch
//===----------------------------------------------------------------------===//

struct ParallelLaunch : PassWrapper<ParallelLaunch, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ParallelLaunch)

  StringRef getArgument() const final { return "hlox-cpu-parallel-launch"; }
  StringRef getDescription() const final {
    return "Run calls of outlined parallel loops (hlox-cpu-outline-loops) through "
           "hlox_rt_parallel_for, on the runtime library's thread pool";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<LLVM::LLVMDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    auto voidType = LLVM::LLVMVoidType::get(context);

    llvm::StringMap<LLVM::LLVMFuncOp> kernels;
    for (auto function : module.getOps<LLVM::LLVMFuncOp>()) {
      if (function->hasAttr(kOutlinedAttr))
        function.setNoInline(true);
      if (function->hasAttr(kMinChunkAttr) && !function.isExternal())
        kernels[function.getName()] = function;
      if (function->hasAttr(kOutlinedAttr) || function->hasAttr(kMinChunkAttr))
        function.setLinkage(LLVM::Linkage::Internal);
    }
    if (kernels.empty())
      return;

    SmallVector<LLVM::CallOp> launches;
    module.walk([&](LLVM::CallOp call) {
      if (auto callee = call.getCallee(); callee && kernels.count(*callee))
        launches.push_back(call);
    });

    OpBuilder builder(context);
    builder.setInsertionPointToEnd(module.getBody());
    auto runtime = module.lookupSymbol<LLVM::LLVMFuncOp>(kRuntimeParallelFor);
    if (!runtime)
      runtime = LLVM::LLVMFuncOp::create(
          builder, module.getLoc(), kRuntimeParallelFor,
          LLVM::LLVMFunctionType::get(voidType, {ptr, ptr, i64, i64}));

    llvm::StringMap<LLVM::LLVMFuncOp> bodies;
    llvm::StringMap<SmallVector<unsigned>> packed; // kernel -> parameters it reads
    for (LLVM::CallOp call : launches) {
      LLVM::LLVMFuncOp kernel = kernels[*call.getCallee()];
      auto kernelType = kernel.getFunctionType();
      if (kernelType.getNumParams() < 2 || kernelType.getParamType(0) != i64 ||
          kernelType.getParamType(1) != i64 || call.getNumResults() != 0) {
        call.emitError("hlox-cpu-parallel-launch: an outlined parallel loop must take "
                       "(i64 begin, i64 end, ...) and return nothing");
        return signalPassFailure();
      }
      LLVM::LLVMFuncOp &body = bodies[kernel.getName()];
      SmallVector<unsigned> &read = packed[kernel.getName()];
      if (!body) {
        read = readParameters(kernel);
        body = makeBody(builder, kernel, contextTypeOf(kernel, read), read);
      }
      auto contextType = contextTypeOf(kernel, read);

      // Pack the captured values in a stack slot of the caller (it waits for
      // the workers, so the slot outlives the loop).
      Location loc = call.getLoc();
      auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
      OpBuilder entry = OpBuilder::atBlockBegin(&caller.getBody().front());
      Value one = LLVM::ConstantOp::create(entry, loc, i64, entry.getI64IntegerAttr(1));
      Value slot = LLVM::AllocaOp::create(entry, loc, ptr, contextType, one);
      OpBuilder at(call);
      ValueRange operands = call.getArgOperands();
      for (auto [index, parameter] : llvm::enumerate(read)) {
        Value field = LLVM::GEPOp::create(at, loc, ptr, contextType, slot,
                                          ArrayRef<LLVM::GEPArg>{0, (int32_t)index});
        LLVM::StoreOp::create(at, loc, operands[parameter], field);
      }
      Value address = LLVM::AddressOfOp::create(at, loc, ptr, body.getName());
      Value minChunk = LLVM::ConstantOp::create(at, loc, i64, kernel->getAttr(kMinChunkAttr));
      // The call's (begin, end) are (0, n).
      LLVM::CallOp::create(at, loc, runtime,
                           ValueRange{address, slot, operands[1], minChunk});
      llvm::SetVector<Operation *> producers;
      for (Value operand : operands)
        if (Operation *producer = operand.getDefiningOp())
          producers.insert(producer);
      call.erase();
      // (the descriptor fields no longer passed: extracted for nothing)
      for (Operation *producer : producers)
        if (isOpTriviallyDead(producer))
          producer->erase();
    }
  }

  /// The parameters after (begin, end) that `kernel` reads once folded
  /// (descriptor fields inserted into a struct but never extracted are not).
  static SmallVector<unsigned> readParameters(LLVM::LLVMFuncOp kernel) {
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    (void)applyPatternsGreedily(kernel, FrozenRewritePatternSet(
                                            RewritePatternSet(kernel.getContext())),
                                config);
    SmallVector<unsigned> read;
    for (unsigned index = 2; index < kernel.getNumArguments(); ++index)
      if (!kernel.getArgument(index).use_empty())
        read.push_back(index);
    return read;
  }

  static LLVM::LLVMStructType contextTypeOf(LLVM::LLVMFuncOp kernel,
                                            ArrayRef<unsigned> read) {
    SmallVector<Type> fields;
    for (unsigned parameter : read)
      fields.push_back(kernel.getFunctionType().getParamType(parameter));
    return LLVM::LLVMStructType::getLiteral(kernel.getContext(), fields);
  }

  /// @<kernel>_body(context, begin, end): loads the captured values the kernel
  /// reads (`read`, packed in `contextType`), calls the kernel.
  LLVM::LLVMFuncOp makeBody(OpBuilder &builder, LLVM::LLVMFuncOp kernel,
                            LLVM::LLVMStructType contextType, ArrayRef<unsigned> read) {
    MLIRContext *context = kernel.getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    Location loc = kernel.getLoc();
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointAfter(kernel);
    auto body = LLVM::LLVMFuncOp::create(
        builder, loc, (kernel.getName() + "_body").str(),
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {ptr, i64, i64}),
        LLVM::Linkage::Internal);
    Block *entry = body.addEntryBlock(builder);
    builder.setInsertionPointToStart(entry);
    SmallVector<Value> arguments{entry->getArgument(1), entry->getArgument(2)};
    int32_t index = 0; // the next field of `contextType`
    for (auto [parameter, type] :
         llvm::enumerate(kernel.getFunctionType().getParams())) {
      if (parameter < 2)
        continue;
      if (!llvm::is_contained(read, parameter)) {
        arguments.push_back(LLVM::PoisonOp::create(builder, loc, type));
        continue;
      }
      Value field = LLVM::GEPOp::create(builder, loc, ptr, contextType, entry->getArgument(0),
                                        ArrayRef<LLVM::GEPArg>{0, index++});
      arguments.push_back(LLVM::LoadOp::create(builder, loc, type, field));
    }
    LLVM::CallOp::create(builder, loc, kernel, arguments);
    LLVM::ReturnOp::create(builder, loc, ValueRange{});
    return body;
  }
};

} // namespace

void hlox::registerCpuLoopOutliningPasses() {
  PassRegistration<OutlineLoops>();
  PassRegistration<ParallelLaunch>();
}
