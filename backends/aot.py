"""``Compiled.serialize()`` and ``hlox.deserialize(data)``.

    data = hlox.jit(f).lower(x, y).compile().serialize()     # bytes
    g = hlox.deserialize(data)                               # in any process
    g(x, y)                                                  # f's results, same pytree

A backend that supports ahead-of-time compilation has two hooks:
``serialize(executable, name, extra) -> bytes`` (an artifact, see
:mod:`hlox.backends.artifact`) and ``deserialize(header, payload) ->
executable``. Loading runs no tracing and no MLIR pass: the ``cpu`` backend's
artifacts hold object code that ORC links as is.
"""

from __future__ import annotations

import numpy as np

from hlox.backends import artifact
from hlox.backends.artifact import ArtifactError  # noqa: F401  (re-exported)


class DeserializedFunction:
    """A loaded artifact: call it like the function it was compiled from."""

    def __init__(self, executable, header: dict):
        self.executable = executable
        self.header = header
        self.name = header.get("name", "main")
        in_tree, out_tree = header.get("in_tree"), header.get("out_tree")
        self.in_tree = artifact.treedef_from_json(in_tree) if in_tree is not None else None
        self.out_tree = artifact.treedef_from_json(out_tree) if out_tree is not None else None

    @property
    def in_specs(self):
        return self.executable.in_specs

    @property
    def out_specs(self):
        return self.executable.out_specs

    def __call__(self, *args, **kwargs):
        from hlox._pytree import tree_flatten, tree_unflatten

        if self.in_tree is None:  # compiled from StableHLO: flat arrays in, tuple out
            if kwargs:
                raise TypeError(f"{self.name}: takes positional arrays only")
            return tuple(self.call_flat(args))
        leaves, in_tree = tree_flatten((args, kwargs))
        if in_tree != self.in_tree:
            raise TypeError(f"{self.name}: called with argument structure {in_tree!r}, "
                            f"compiled for {self.in_tree!r}")
        return tree_unflatten(self.out_tree, self.call_flat(leaves))

    def call_flat(self, arrays) -> list:
        """Runs on flat arrays of the artifact's shapes and dtypes (Python scalars take
        the compiled dtype); anything else is a TypeError naming the argument."""
        if len(arrays) != len(self.in_specs):
            raise TypeError(f"{self.name}: takes {len(self.in_specs)} arrays, got {len(arrays)}")
        buffers = []
        for i, (leaf, (shape, dtype)) in enumerate(zip(arrays, self.in_specs)):
            got = getattr(leaf, "dtype", None)
            if got is not None and got != dtype:
                raise TypeError(f"{self.name}: argument {i} has dtype {got}, the artifact "
                                f"was compiled for {dtype}")
            # (Not np.ascontiguousarray: it turns a 0-d array into shape (1,).)
            array = np.asarray(leaf, dtype=dtype, order="C")
            if array.shape != tuple(shape):
                raise TypeError(f"{self.name}: argument {i} has shape {array.shape}, the "
                                f"artifact was compiled for {tuple(shape)}")
            buffers.append(array)
        return self.executable.execute(buffers)

    def __repr__(self):
        sig = ", ".join(f"{d.name}{list(s)}" for s, d in self.in_specs)
        return f"<hlox deserialized {self.name}({sig}) from hlox {self.header.get('hlox_version')}>"


def serialize_executable(backend, executable, name: str, extra: dict | None = None) -> bytes:
    hook = getattr(backend, "serialize", None)
    if hook is None:
        raise NotImplementedError(f"hlox backend {getattr(backend, 'name', backend)!r} does "
                                  "not support serialization (ahead-of-time artifacts)")
    return hook(executable, name, extra or {})


def serialize(compiled) -> bytes:
    """Artifact bytes for a :class:`hlox.Compiled` (keeps its pytrees)."""
    lowered = compiled.lowered
    extra = {"in_tree": artifact.treedef_to_json(lowered.in_tree),
             "out_tree": artifact.treedef_to_json(lowered.out_tree)}
    return serialize_executable(compiled.backend, compiled.executable, lowered.name, extra)


def load_executable(data: bytes, expect: dict | None = None):
    """``(executable, header)`` from artifact bytes (every check of :func:`artifact.unpack`);
    ``expect``: header entries that must hold these values (checked before any code loads)."""
    from hlox import backends

    art = artifact.unpack(data)
    for key, value in (expect or {}).items():
        if art.header.get(key) != value:
            raise ArtifactError(f"hlox artifact header has {key}={art.header.get(key)!r}, "
                                f"expected {value!r}: it was compiled from another program")
    kind = art.header.get("backend")
    try:
        backend = backends.get(kind)
    except (backends.UnknownBackendError, TypeError):
        raise ArtifactError(f"hlox artifact was built for backend {kind!r}, which is not "
                            f"available here ({', '.join(backends.list())})") from None
    hook = getattr(backend, "deserialize", None)
    if hook is None:
        raise ArtifactError(f"hlox backend {kind!r} cannot load artifacts")
    return hook(art.header, art.payload), art.header


def deserialize(data: bytes) -> DeserializedFunction:
    """A callable from :meth:`Compiled.serialize` bytes; raises :class:`ArtifactError`
    for truncated, altered, foreign-version or foreign-target data."""
    executable, header = load_executable(data)
    return DeserializedFunction(executable, header)
