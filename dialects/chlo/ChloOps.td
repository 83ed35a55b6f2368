//===- ChloOps.td - every CHLO op (for the Python op classes) -------------===//
#ifndef HLOX_CHLO_OPS
#define HLOX_CHLO_OPS

include "dialects/chlo/ChloUnaryOps.td"
include "dialects/chlo/ChloBinaryOps.td"
include "dialects/chlo/ChloMiscOps.td"

#endif // HLOX_CHLO_OPS
