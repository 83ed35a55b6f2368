"""The ``cpu`` backend: StableHLO -> linalg -> loops -> LLVM -> object code linked by ORC.

``backend`` (the registered backend and its pipeline), ``executable`` (a
compiled ``@main`` and its stages), ``invoke`` (memref descriptors: the call
path), ``aot`` (object-code artifacts), ``llvm_c`` (LLVM's C API: code
generation, ORC), ``passes`` (the Python passes only this backend runs).
"""
