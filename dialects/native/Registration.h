//===- Registration.h - what the native library contributes ----*- C++ -*-===//
#ifndef HLOX_DIALECTS_NATIVE_REGISTRATION_H
#define HLOX_DIALECTS_NATIVE_REGISTRATION_H

namespace mlir {
class DialectRegistry;
}

namespace hlox {
/// Adds every dialect hlox defines (and their interface extensions).
void registerDialects(mlir::DialectRegistry &registry);
/// Registers every C++ pass hlox defines with MLIR's global registry.
void registerPasses();
} // namespace hlox

#endif
