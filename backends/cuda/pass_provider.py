"""Registers every Python pass of the ``cuda`` backend (``hlox-cuda-*``): the module
the ``hlox.passes`` entry point names, so that ``hlox-opt`` offers them."""

from hlox.backends.cuda import passes  # noqa: F401  (map-to-gpu, copies-to-linalg)
from hlox.backends.cuda import warp_reductions  # noqa: F401  (warp-reductions)
from hlox.backends.cuda import register_tiles  # noqa: F401  (register-tiles)
