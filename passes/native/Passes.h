//===- Passes.h - hlox's C++ passes -----------------------------*- C++ -*-===//
#ifndef HLOX_PASSES_NATIVE_PASSES_H
#define HLOX_PASSES_NATIVE_PASSES_H

#include "dialects/sdy/SdyOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace hlox {
#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"
} // namespace hlox

#endif
