//===- RegisterPasses.cpp - hlox's C++ passes in MLIR's registry ----------===//
#include "dialects/native/Registration.h"
#include "passes/native/ChloDecomposition.h"
#include "passes/native/CpuPasses.h"
#include "passes/native/Fusion.h"
#include "passes/native/Passes.h"

void hlox::registerPasses() {
  registerHloxPasses();
  registerDecompositionPasses();
  registerCpuLoopOutliningPasses();
  registerCpuPackAllocationsPass();
  registerCpuLoopStateInPlacePass();
  registerFusionPasses();
  registerCpuFusionRegionsPass();
}
