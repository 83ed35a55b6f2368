//===- CHLODialect.cpp - the CHLO dialect and its attributes --------------===//
#include "dialects/chlo/ChloOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::chlo;

#include "chlo/ChloDialect.cpp.inc"
#include "chlo/ChloEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "chlo/ChloAttrs.cpp.inc"

void CHLODialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "chlo/ChloUnaryOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "chlo/ChloBinaryOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "chlo/ChloMiscOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "chlo/ChloAttrs.cpp.inc"
      >();
}

Operation *CHLODialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
