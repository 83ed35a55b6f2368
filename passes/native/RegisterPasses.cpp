//===- RegisterPasses.cpp - hlox's C++ passes in MLIR's registry ----------===//
#include "dialects/native/Registration.h"

void hlox::registerPasses() {}
