//===- SdyOps.td - every sdy op (for the Python op classes) -----------------===//
include "dialects/sdy/SdyCoreOps.td"
