// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// JAX: jnp.argmax printed with as_text(debug_info=True): locations on the
// reducer's arguments and on every op parse.

// CHECK: stablehlo.reduce({{%[^ ,)]+}} init: {{%[^ ,)]+}}), ({{%[^ ,)]+}} init: {{%[^ ,)]+}}) across dimensions = [1] : (tensor<4x8xf32>, tensor<4x8xi32>, tensor<f32>, tensor<i32>) -> (tensor<4xf32>, tensor<4xi32>)
// CHECK-NEXT: reducer(

#loc1 = loc("a")
#loc2 = loc("<stdin>":4:26 to :47)
#loc3 = loc("<stdin>":8:37 to :56)
#loc5 = loc("reduce")
#loc6 = loc("<lambda>"(#loc2))
#loc7 = loc("<module>"(#loc3))
#loc9 = loc("reduce:"(#loc5))
#loc10 = loc(callsite(#loc6 at #loc7))
#loc15 = loc("jit(<lambda>)"(#loc10))
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%arg0: tensor<4x8xf32> loc("a")) -> (tensor<4xi32> {jax.result_info = "result"}) {
    %0 = call @argmax(%arg0) : (tensor<4x8xf32>) -> tensor<4xi32> loc(#loc15)
    return %0 : tensor<4xi32> loc(#loc11)
  } loc(#loc)
  func.func private @argmax(%arg0: tensor<4x8xf32> loc("jit(<lambda>)"(#loc10))) -> tensor<4xi32> {
    %0 = stablehlo.iota dim = 1 : tensor<4x8xi32> loc(#loc12)
    %cst = stablehlo.constant dense<0xFF800000> : tensor<f32> loc(#loc8)
    %c = stablehlo.constant dense<0> : tensor<i32> loc(#loc8)
    %1:2 = stablehlo.reduce(%arg0 init: %cst), (%0 init: %c) across dimensions = [1] : (tensor<4x8xf32>, tensor<4x8xi32>, tensor<f32>, tensor<i32>) -> (tensor<4xf32>, tensor<4xi32>)
     reducer(%arg1: tensor<f32> loc("reduce:"(#loc5)), %arg3: tensor<f32> loc("reduce:"(#loc5))) (%arg2: tensor<i32> loc("reduce:"(#loc5)), %arg4: tensor<i32> loc("reduce:"(#loc5)))  {
      %2 = stablehlo.compare GT, %arg1, %arg3, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1> loc(#loc16)
      %3 = stablehlo.compare NE, %arg1, %arg1, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1> loc(#loc17)
      %4 = stablehlo.or %2, %3 : tensor<i1> loc(#loc18)
      %5 = stablehlo.compare EQ, %arg1, %arg3, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1> loc(#loc19)
      %6 = stablehlo.compare LT, %arg2, %arg4, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1> loc(#loc20)
      %7 = stablehlo.and %5, %6 : tensor<i1> loc(#loc21)
      %8 = stablehlo.or %4, %7 : tensor<i1> loc(#loc18)
      %9 = stablehlo.select %4, %arg1, %arg3 : tensor<i1>, tensor<f32> loc(#loc22)
      %10 = stablehlo.select %8, %arg2, %arg4 : tensor<i1>, tensor<i32> loc(#loc22)
      stablehlo.return %9, %10 : tensor<f32>, tensor<i32> loc(#loc13)
    } loc(#loc13)
    return %1#1 : tensor<4xi32> loc(#loc15)
  } loc(#loc15)
} loc(#loc)
#loc = loc(unknown)
#loc4 = loc("argmax")
#loc8 = loc("argmax:"(#loc4))
#loc11 = loc("jit(<lambda>)"(#loc7))
#loc12 = loc("iota"(#loc6))
#loc13 = loc("reduce"(#loc6))
#loc14 = loc(callsite(#loc6 at #loc6))
#loc16 = loc("gt"(#loc14))
#loc17 = loc("ne"(#loc14))
#loc18 = loc("or"(#loc14))
#loc19 = loc("eq"(#loc14))
#loc20 = loc("lt"(#loc14))
#loc21 = loc("and"(#loc14))
#loc22 = loc("select_n"(#loc14))
