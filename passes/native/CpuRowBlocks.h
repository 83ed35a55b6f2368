//===- CpuRowBlocks.h - row reductions and their readers as one loop -*- C++ -*-===//
#ifndef HLOX_PASSES_NATIVE_CPUROWBLOCKS_H
#define HLOX_PASSES_NATIVE_CPUROWBLOCKS_H

#include <cstdint>

namespace mlir {
class Operation;
} // namespace mlir

namespace hlox {
/// Each elementwise reader of a row reduction (softmax's division,
/// layernorm's normalization) tiled over blocks of rows (an scf.forall), with
/// the reductions and elementwise ops it depends on computed per row block
/// inside that loop (CpuRowBlocks.cpp). A block's tile of the consumer is
/// about `blockBytes`.
void fuseRowBlocks(mlir::Operation *root, int64_t blockBytes);
} // namespace hlox

#endif
