"""The helpers that mlir-tblgen's generated Python op classes import.

Our generated modules (``_stablehlo_ops_gen.py``, ...) live in
``hlox.dialects`` and import ``._ods_common`` relative to it, as upstream's
do in ``mlir.dialects``: this module hands them upstream's helpers.
"""

from mlir.dialects._ods_common import *  # noqa: F401,F403
from mlir.dialects._ods_common import __all__  # noqa: F401
from mlir.dialects._ods_common import _cext  # noqa: F401
