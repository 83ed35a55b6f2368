//===- StablehloAttrs.td - structured attributes of the spec --------------===//
//
// `#stablehlo.dot<...>`, `#stablehlo.gather<...>`, `#stablehlo.scatter<...>`,
// `#stablehlo.conv<...>`, `#stablehlo.channel_handle<...>`, ...
//
//===----------------------------------------------------------------------===//

#ifndef HLOX_STABLEHLO_ATTRS
#define HLOX_STABLEHLO_ATTRS

include "dialects/stablehlo/StablehloBase.td"

class StableHLO_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<StableHLO_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // HLOX_STABLEHLO_ATTRS
