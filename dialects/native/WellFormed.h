//===- WellFormed.h - checks the verifiers miss ------------------*- C++ -*-===//
#ifndef HLOX_DIALECTS_NATIVE_WELLFORMED_H
#define HLOX_DIALECTS_NATIVE_WELLFORMED_H

#include <string>

namespace mlir {
class Operation;
}

namespace hlox {
/// "location: 'op': what is wrong" for the first op under `root` (itself
/// included) that verifies but would abort a pass: a dense literal whose data
/// does not match its type, or a type whose byte size overflows int64; ""
/// when there is none.
std::string firstMalformed(mlir::Operation *root);
} // namespace hlox

#endif
