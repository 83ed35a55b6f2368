//===- NativeModule.cpp - the `hlox._native` Python extension -------------===//
//
// The one native library of hlox. It holds our dialects and C++ passes,
// compiled against the MLIR headers and linked to the Python bindings'
// libMLIRPythonCAPI.so, so that everything shares the MLIR instance that
// `mlir.ir` uses. Python reaches it through two functions:
//
//   register_dialects(ctx._CAPIPtr)  make stablehlo/chlo/hlox available in a
//                                    context created by `mlir.ir.Context()`
//   register_passes()                add our passes to the global pass registry
//                                    (once per process), for PassManager.parse
//   first_malformed(op._CAPIPtr)     what the verifiers accept but passes abort
//                                    on ("" when nothing), see WellFormed.h
//
//===----------------------------------------------------------------------===//
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "mlir/CAPI/IR.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include "dialects/native/Registration.h"
#include "dialects/native/WellFormed.h"

namespace {

PyObject *registerDialects(PyObject *, PyObject *capsule) {
  void *ptr = PyCapsule_GetPointer(capsule, "mlir.ir.Context._CAPIPtr");
  if (!ptr)
    return nullptr; // PyCapsule_GetPointer set a TypeError/ValueError.
  MlirContext cContext{ptr};
  mlir::MLIRContext *context = unwrap(cContext);
  mlir::DialectRegistry registry;
  hlox::registerDialects(registry);
  context->appendDialectRegistry(registry);
  Py_RETURN_NONE;
}

PyObject *registerPasses(PyObject *, PyObject *) {
  static bool done = false;
  if (!done) {
    hlox::registerPasses();
    done = true;
  }
  Py_RETURN_NONE;
}

PyObject *firstMalformed(PyObject *, PyObject *capsule) {
  void *ptr = PyCapsule_GetPointer(capsule, "mlir.ir.Operation._CAPIPtr");
  if (!ptr)
    return nullptr;
  std::string problem = hlox::firstMalformed(unwrap(MlirOperation{ptr}));
  return PyUnicode_FromStringAndSize(problem.data(), problem.size());
}

PyMethodDef methods[] = {
    {"register_dialects", registerDialects, METH_O,
     "Make the stablehlo, chlo and hlox dialects available in an MLIR "
     "context (pass ctx._CAPIPtr)."},
    {"register_passes", registerPasses, METH_NOARGS,
     "Register hlox's C++ passes with MLIR's global pass registry."},
    {"first_malformed", firstMalformed, METH_O,
     "What the verifiers accept but a pass would abort on, under an operation "
     "(pass op._CAPIPtr): 'location: op: problem', or '' when nothing."},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef moduleDef = {PyModuleDef_HEAD_INIT, "_native",
                         "hlox's dialects and passes (native)", -1, methods};

} // namespace

PyMODINIT_FUNC PyInit__native() { return PyModule_Create(&moduleDef); }
