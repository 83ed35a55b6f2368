//===- HloxOps.td - every hlox op (for the Python op classes) -------------===//
#ifndef HLOX_HLOX_OPS
#define HLOX_HLOX_OPS

include "dialects/hlox/HloxStructureOps.td"

#endif // HLOX_HLOX_OPS
