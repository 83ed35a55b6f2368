//===- RegisterDialects.cpp - the dialects hlox adds to a context ---------===//
#include "dialects/native/Registration.h"
#include "dialects/chlo/ChloOps.h"
#include "dialects/hlox/HloxOps.h"
#include "dialects/sdy/SdyOps.h"
#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/IR/DialectRegistry.h"

void hlox::registerDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::stablehlo::StableHLODialect>();
  registry.insert<mlir::chlo::CHLODialect>();
  registry.insert<mlir::hlox::HloxDialect>();
  registry.insert<mlir::sdy::SdyDialect>();
}
