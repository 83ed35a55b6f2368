"""``hlox.distributed`` (as ``jax.distributed``): several processes under ``mpiexec``
run one program; see :mod:`hlox.backends.distributed`."""

from hlox.backends.distributed import (DistributedError, initialize, is_initialized,
                                       process_count, process_index)

__all__ = ["DistributedError", "initialize", "is_initialized", "process_count", "process_index"]
