"""``hlox.sharding``: jax.sharding's classes (see hlox.frontend.core.sharding)."""

from hlox.frontend.core.sharding import (AxisType, Mesh, NamedSharding, PartitionSpec,  # noqa: F401
                                         Sharding, SingleDeviceSharding)

__all__ = ["AxisType", "Mesh", "NamedSharding", "PartitionSpec", "Sharding",
           "SingleDeviceSharding"]
