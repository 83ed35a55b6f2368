//===- StablehloDialect.cpp - dialect, types, attributes ------------------===//
#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::stablehlo;

#include "stablehlo/StablehloDialect.cpp.inc"
#include "stablehlo/StablehloEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "stablehlo/StablehloTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "stablehlo/StablehloAttrs.cpp.inc"

void StableHLODialect::initialize() {
  // One list per op group (see StablehloOps.td).
  addOperations<
#define GET_OP_LIST
#include "stablehlo/ElementwiseOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "stablehlo/ShapeOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "stablehlo/MiscOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "stablehlo/StructuredOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "stablehlo/RegionOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "stablehlo/CollectiveOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "stablehlo/StablehloTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "stablehlo/StablehloAttrs.cpp.inc"
      >();
}

Operation *StableHLODialect::materializeConstant(OpBuilder &builder,
                                                 Attribute value, Type type,
                                                 Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
