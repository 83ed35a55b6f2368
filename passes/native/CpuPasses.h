//===- CpuPasses.h - the CPU backend's C++ passes ---------------*- C++ -*-===//
//
// Registered by hand (PassRegistration), not through Passes.td, so that
// adding one rebuilds this file and RegisterPasses.cpp only.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_CPUPASSES_H
#define HLOX_PASSES_NATIVE_CPUPASSES_H

namespace hlox {
/// hlox-cpu-outline-loops and hlox-cpu-parallel-launch (CpuLoopOutlining.cpp).
void registerCpuLoopOutliningPasses();
/// hlox-cpu-pack-allocations (CpuPackAllocations.cpp).
void registerCpuPackAllocationsPass();
/// hlox-loop-state-in-place (CpuLoopStateInPlace.cpp).
void registerCpuLoopStateInPlacePass();
/// hlox-cpu-fuse-regions (CpuFusionRegions.cpp).
void registerCpuFusionRegionsPass();
} // namespace hlox

#endif
