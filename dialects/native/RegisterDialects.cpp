//===- RegisterDialects.cpp - the dialects hlox adds to a context ---------===//
#include "dialects/native/Registration.h"
#include "dialects/chlo/ChloOps.h"
#include "dialects/hlox/HloxOps.h"
#include "dialects/sdy/SdyOps.h"
#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectRegistry.h"

void hlox::registerDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::stablehlo::StableHLODialect>();
  registry.insert<mlir::chlo::CHLODialect>();
  registry.insert<mlir::hlox::HloxDialect>();
  registry.insert<mlir::sdy::SdyDialect>();
  // the element types of quantized tensors (also a dependent dialect of stablehlo)
  registry.insert<mlir::quant::QuantDialect>();
}
