"""Where an :class:`hlox.Array`'s data lives: shardings (``jax.sharding``).

A sharding maps an array of some global shape onto devices: which devices
hold a piece (``_device_assignment``, in the order an Array keeps its
buffers), which piece each holds (``devices_indices_map``) and the shape of
a piece (``shard_shape``). Today there is one kind, :class:`SingleDeviceSharding`
(the whole array on one device); a ``NamedSharding`` over a mesh adds the same
members for many devices, and :class:`hlox.Array` needs nothing else.
"""

from __future__ import annotations

__all__ = ["Sharding", "SingleDeviceSharding"]


class Sharding:
    """What every sharding offers (JAX's ``jax.sharding.Sharding``)."""

    __slots__ = ()

    @property
    def _device_assignment(self) -> tuple:
        """The devices holding a piece, in the order an Array keeps its buffers."""
        raise NotImplementedError

    @property
    def device_set(self) -> set:
        return set(self._device_assignment)

    @property
    def addressable_devices(self) -> set:
        return self.device_set  # one process: every device is addressable

    @property
    def num_devices(self) -> int:
        return len(self._device_assignment)

    @property
    def is_fully_addressable(self) -> bool:
        return True

    @property
    def is_fully_replicated(self) -> bool:
        raise NotImplementedError

    @property
    def memory_kind(self) -> str:
        return "device"

    def devices_indices_map(self, global_shape: tuple) -> dict:
        """``{device: index}``: the piece of an array of ``global_shape`` each device
        holds, as a tuple of slices."""
        raise NotImplementedError

    def shard_shape(self, global_shape: tuple) -> tuple:
        raise NotImplementedError


class SingleDeviceSharding(Sharding):
    """The whole array on one device."""

    __slots__ = ("_device",)

    def __init__(self, device, *, memory_kind: str | None = None):
        self._device = device

    @property
    def _device_assignment(self) -> tuple:
        return (self._device,)

    @property
    def is_fully_replicated(self) -> bool:
        return True

    def devices_indices_map(self, global_shape: tuple) -> dict:
        return {self._device: (slice(None),) * len(global_shape)}

    def shard_shape(self, global_shape: tuple) -> tuple:
        return tuple(global_shape)

    def __eq__(self, other):
        return isinstance(other, SingleDeviceSharding) and other._device == self._device

    def __hash__(self):
        return hash(("SingleDeviceSharding", self._device))

    def __reduce__(self):
        return (SingleDeviceSharding, (self._device,))

    def __repr__(self) -> str:
        return f"SingleDeviceSharding(device={self._device!r}, memory_kind={self.memory_kind})"
