"""The ``pjrt`` backend: StableHLO to a PJRT client through jaxlib.

By default the client is XLA's CPU client, the one JAX itself uses (so
``XLA_FLAGS=--xla_force_host_platform_device_count=N`` gives N host devices).
Any PJRT plugin library (libtpu, the CUDA plugin, a vendor's) is loaded with
:func:`load_plugin`, or from ``PJRT_NAMES_AND_LIBRARY_PATHS=name:path,name2:path2``
as JAX does; each becomes a backend named ``pjrt-<name>``.

Compilation: the module, after the compile driver's shared StableHLO stage,
is printed in MLIR's generic form (which XLA's StableHLO parser reads whatever
our dialect's custom assembly looks like) and handed to
``client.compile_and_load(text, DeviceList, CompileOptions())``. Stages:
``serialize`` (our module to text XLA reads) and ``xla-compile``; a failure
raises a :class:`~hlox.backends.compiler.CompilationError` naming the stage,
with XLA's message, and keeps the text XLA got in the dump folder
(``HLOX_DUMP_DIR``).

Requires the ``pjrt`` extra (``pip install hlox[pjrt]``: jax, jaxlib); jaxlib
is imported on first use only.
"""

from __future__ import annotations

import os

import numpy as np

from hlox.backends import compiler
from hlox.backends.base import BackendError, CompileOptions, Device, main_signature, module_text

ENV_VAR = "PJRT_NAMES_AND_LIBRARY_PATHS"


def parse_names_and_library_paths(value: str | None) -> dict[str, str]:
    """``"name:path,name2:path2"`` -> ``{name: path}`` (``;`` separates on Windows), as JAX."""
    separator = ";" if os.name == "nt" else ":"
    plugins: dict[str, str] = {}
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, path = item.partition(separator)
        if not sep or not name.strip() or not path.strip():
            raise ValueError(f"{ENV_VAR}: {item!r} is not 'name{separator}path'")
        plugins[name.strip()] = path.strip()
    return plugins


def env_plugins() -> dict[str, str]:
    return parse_names_and_library_paths(os.environ.get(ENV_VAR))


def _initialize_lapack() -> None:
    """jaxlib's CPU LAPACK kernels (``lapack_*_ffi``) find scipy's routines only once
    initialized, which JAX does when it lowers a linear-algebra op; a module from
    hlox's frontend (or from a file) may reach XLA before that: without it the kernel
    calls a null pointer."""
    try:
        from jaxlib import lapack
    except ImportError:
        return
    lapack._lapack.initialize()


def _xla():
    try:
        import jax  # noqa: F401
        from jax._src.lib import xla_client
    except ImportError as error:
        raise BackendError(f"the pjrt backend needs jax and jaxlib (pip install 'hlox[pjrt]'): "
                           f"{error}") from None
    return xla_client


def _jaxlib_version() -> str:
    import jaxlib

    return jaxlib.__version__


def _compile_options(xla_client, device):
    """One replica, one partition, on ``device`` (an XLA device; XLA's default is 0)."""
    options = xla_client.CompileOptions()
    options.executable_build_options.device_assignment = \
        xla_client.DeviceAssignment.create(np.array([[device.id]]))
    return options


def _put(array, xla_device):
    """A numpy array as a buffer (a jax array) on ``xla_device``."""
    import jax

    with jax.enable_x64(True):  # keep 64-bit arrays 64-bit
        return jax.device_put(np.asarray(array), xla_device)


class PjrtExecutable:
    """A loaded XLA executable on one device: ``execute(buffers) -> list``."""

    def __init__(self, backend: "PjrtBackend", loaded, device, in_specs, out_specs, stages, name):
        self.backend = backend
        self.loaded = loaded
        self.device = device
        self.in_specs = in_specs
        self.out_specs = out_specs
        self.stages = stages
        self.name = name

    def execute(self, buffers) -> list:
        """``@main`` on buffers on this executable's device (numpy arrays are put there
        first); the results stay there (``from_device`` copies one to the host)."""
        return list(self.loaded.execute([_put(b, self.device) if isinstance(b, np.ndarray)
                                         else b for b in buffers]))


class PjrtBackend:
    """StableHLO on a PJRT client: jax's ``platform`` client, or a plugin's."""

    def __init__(self, name: str = "pjrt", platform: str = "cpu", plugin: str | None = None,
                 library_path: str | None = None, options: dict | None = None):
        self.name = name
        self.platform = platform
        self.plugin = plugin
        self.library_path = library_path
        self.options = options
        self._client = None

    # -- the client -------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            xla_client = _xla()
            if self.plugin is None:
                import jax.extend.backend

                self._client = jax.extend.backend.get_backend(self.platform)
            else:
                try:
                    if not xla_client.pjrt_plugin_loaded(self.plugin):
                        xla_client.load_pjrt_plugin_dynamically(self.plugin, self.library_path)
                    if not xla_client.pjrt_plugin_initialized(self.plugin):
                        xla_client.initialize_pjrt_plugin(self.plugin)
                    self._client = xla_client.make_c_api_client(self.plugin, self.options)
                except Exception as error:  # noqa: BLE001  (jaxlib raises its own types)
                    raise BackendError(f"hlox pjrt backend {self.name!r}: loading the PJRT "
                                       f"plugin {self.plugin!r} from {self.library_path!r} "
                                       f"failed: {error}") from None
                self.platform = self._client.platform
        return self._client

    def devices(self) -> list[Device]:
        """The client's local devices, as hlox :class:`Device`\\ s (made once)."""
        devices = self.__dict__.get("_devices")
        if devices is None:
            xla_devices = list(self.client.local_devices())
            self._xla_devices = {d.id: d for d in xla_devices}
            devices = self._devices = [
                Device(self.platform, d.id, self.name, d.process_index,
                       getattr(d, "device_kind", self.platform)) for d in xla_devices]
        return devices

    def xla_device(self, device: Device | None):
        """The client's device behind one of :meth:`devices` (default: the first)."""
        devices = self.devices()
        if device is None:
            device = devices[0]
        if device not in devices:
            raise BackendError(f"hlox pjrt backend {self.name!r}: {device.describe()} is not "
                               f"one of its devices {devices}")
        return self._xla_devices[device.id]

    # -- buffers ------------------------------------------------------------
    def to_device(self, array, device=None):
        return _put(array, self.xla_device(device))

    def from_device(self, buffer) -> np.ndarray:
        return np.asarray(buffer)

    # -- compilation ----------------------------------------------------------
    def pipeline(self) -> list[str]:
        # XLA forms its own fusions: hlox-fuse's regions are inlined first.
        return ["hlox-inline-fusions", "serialize", "xla-compile"]

    def compile(self, module, options: CompileOptions | None = None) -> PjrtExecutable:
        options = options or CompileOptions()
        runner = compiler.runner_for(options, self.name)
        xla_client = _xla()
        if not isinstance(module, (str, bytes)):  # (text skipped the shared stage)
            with module.context:
                runner.run(module, ["hlox-inline-fusions"])
        try:
            text = module_text(module, generic=True)  # (what XLA's parser reads)
        except Exception as error:  # noqa: BLE001
            raise runner.failure("serialize", str(error)) from None
        device = self.xla_device(options.device)
        if "lapack_" in text:
            _initialize_lapack()
        try:
            loaded = self.client.compile_and_load(text, xla_client.DeviceList((device,)),
                                                  _compile_options(xla_client, device))
        except Exception as error:  # noqa: BLE001  (XlaRuntimeError/JaxRuntimeError)
            path = runner.write("xla-compile", text, failed=True)
            kept = f"\n  the module XLA got is in {path}" if path else \
                "\n  (set HLOX_DUMP_DIR to keep the module XLA got)"
            raise runner.failure("xla-compile", f"({self.platform}) {error}{kept}") from None
        runner.write("serialize", text)
        ins, outs = options.signature or main_signature(module)
        stages = {"serialize": text}
        return PjrtExecutable(self, loaded, device, ins, outs, stages, options.name)

    # -- ahead of time --------------------------------------------------------
    def serialize(self, executable: PjrtExecutable, name: str = "main",
                  extra: dict | None = None) -> bytes:
        """An artifact (:mod:`hlox.backends.artifact`) holding XLA's serialized executable."""
        from hlox.backends import artifact

        data = self.client.serialize_executable(executable.loaded)
        header = {"backend": self.name, "name": name, "hlox_version": artifact.hlox_version(),
                  "platform": self.platform, "jaxlib_version": _jaxlib_version(),
                  "inputs": [artifact.spec_to_json(*s) for s in executable.in_specs],
                  "outputs": [artifact.spec_to_json(*s) for s in executable.out_specs]}
        header.update(extra or {})
        return artifact.pack(header, bytes(data))

    def deserialize(self, header: dict, payload: bytes,
                    device: Device | None = None) -> PjrtExecutable:
        """An executable from a checked artifact's header and XLA's bytes."""
        from hlox.backends import artifact

        for key, ours in (("hlox_version", artifact.hlox_version()),
                          ("jaxlib_version", _jaxlib_version()), ("platform", self.platform)):
            if header.get(key) != ours:
                raise artifact.ArtifactError(
                    f"hlox artifact was built with {key.replace('_', ' ')} "
                    f"{header.get(key)!r}, this process has {ours!r}: recompile it here")
        ins = artifact.specs_from_json(header.get("inputs"), "input")
        outs = artifact.specs_from_json(header.get("outputs"), "output")
        xla_client = _xla()
        dev = self.xla_device(device)
        try:
            _initialize_lapack()  # (cheap; the executable may call LAPACK)
            loaded = self.client.deserialize_executable(
                payload, xla_client.DeviceList((dev,)), _compile_options(xla_client, dev))
        except Exception as error:  # noqa: BLE001  (jaxlib raises its own types)
            raise artifact.ArtifactError(f"XLA cannot load the artifact's executable: "
                                         f"{error}") from None
        return PjrtExecutable(self, loaded, dev, ins, outs, {}, header.get("name", "main"))

    def __repr__(self):
        where = f"plugin {self.plugin!r}" if self.plugin else f"jax's {self.platform!r} client"
        return f"<hlox backend {self.name!r} ({where})>"


def load_plugin(name: str, path: str, options: dict | None = None, *,
                register: bool = True) -> PjrtBackend:
    """A backend ``pjrt-<name>`` on the PJRT plugin library at ``path``.

    The library is loaded when the backend is first used (``devices()``,
    ``compile``). With ``register=True`` it is added to ``hlox.backends``.
    """
    backend = PjrtBackend(name=f"pjrt-{name}", platform=name, plugin=name,
                          library_path=os.fspath(path), options=options)
    if register:
        from hlox import backends

        backends.register(backend, replace=True)
    return backend
