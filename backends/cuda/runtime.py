"""Running compiled functions on NVIDIA GPUs through the CUDA driver API.

Written for a machine with a GPU; it cannot run on the development machines (no
driver there), so ``tests/gpu/run_on_device.sh`` covers it.

Why ``cuda-bindings`` (NVIDIA's Python binding of the driver API, the optional
extra ``hlox[cuda]``) and not MLIR's ``libmlir_cuda_runtime.so``: the mgpu*
wrappers print a CUDA error and carry on (a failed launch would be a silent
wrong answer), and they drive one implicit device per thread; the driver API
returns every error (raised here as :class:`CudaError` naming the call) and
takes a context per device. hlox generates no host code (the launch plan is
data, :mod:`.launch_plan`), so the driver calls here are all it needs:

- one primary context and one stream per device; buffers are device memory
  (:class:`DeviceBuffer`) until ``from_device`` (``np.asarray``) copies them back;
- a call enqueues its launches on the stream and returns at once with the results'
  buffers (asynchronous dispatch); temporaries are stream-ordered allocations
  (``cuMemAllocAsync``/``cuMemFreeAsync``) freed after the last launch;
  ``DeviceBuffer.block_until_ready()`` waits for the stream;
- a module is loaded from its cubin when the device's architecture is the one it
  was compiled for, else from its PTX (the driver JIT-compiles it for a newer GPU).
"""

from __future__ import annotations

import ctypes
import functools
import threading

import numpy as np

from hlox.backends.base import BackendError, Device


class NoDriverError(BackendError):
    """No CUDA driver on this machine (no ``libcuda.so.1``)."""


class CudaError(BackendError):
    """A CUDA driver call failed; the message names the call and CUDA's error."""


@functools.cache
def _driver_module():
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError:
        raise NoDriverError("cuda: no CUDA driver found (libcuda.so.1 could not be loaded): "
                            "this machine can compile for the GPU (cross-compilation) but "
                            "not run on one") from None
    try:
        from cuda.bindings import driver
    except ImportError:
        raise NoDriverError("cuda: a CUDA driver is here but the Python package "
                            "cuda-bindings is not installed: pip install 'hlox[cuda]'") from None
    return driver


def _check(result, call: str):
    """The values of a cuda-bindings call's ``(status, *values)``; raises on an error."""
    driver = _driver_module()
    status, values = result[0], result[1:]
    if status != driver.CUresult.CUDA_SUCCESS:
        _, text = driver.cuGetErrorString(status)
        raise CudaError(f"cuda: {call} failed: {status.name}: "
                        f"{text.decode() if text else '?'}")
    return values[0] if len(values) == 1 else values


class DeviceBuffer:
    """An array in device memory: ``ptr`` (CUdeviceptr as int), ``shape``, ``dtype``."""

    def __init__(self, driver: "Driver", device: Device, ptr: int, shape, dtype):
        self.driver, self.device, self.ptr = driver, device, ptr
        self.shape, self.dtype = tuple(shape), np.dtype(dtype)
        self.nbytes = int(np.prod(self.shape, dtype=np.int64)) * self.dtype.itemsize

    def __array__(self, dtype=None, copy=None):
        host = self.driver.from_device(self)
        return host if dtype is None else host.astype(dtype)

    def block_until_ready(self) -> "DeviceBuffer":
        self.driver.synchronize(self.device)
        return self

    def __del__(self):
        if self.ptr:
            try:
                self.driver.free(self.device, self.ptr)
            except Exception:  # noqa: BLE001  (interpreter shutdown: nothing to free into)
                pass


class Driver:
    """The CUDA devices of this process, their contexts and streams."""

    def __init__(self):
        cu = self.cu = _driver_module()
        _check(cu.cuInit(0), "cuInit")
        count = _check(cu.cuDeviceGetCount(), "cuDeviceGetCount")
        self.handles, self.contexts, self.streams, self.archs, self.names = [], [], [], [], []
        for i in range(count):
            handle = _check(cu.cuDeviceGet(i), "cuDeviceGet")
            context = _check(cu.cuDevicePrimaryCtxRetain(handle), "cuDevicePrimaryCtxRetain")
            _check(cu.cuCtxSetCurrent(context), "cuCtxSetCurrent")
            attr = cu.CUdevice_attribute
            major = _check(cu.cuDeviceGetAttribute(
                attr.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, handle), "cuDeviceGetAttribute")
            minor = _check(cu.cuDeviceGetAttribute(
                attr.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, handle), "cuDeviceGetAttribute")
            name = _check(cu.cuDeviceGetName(256, handle), "cuDeviceGetName")
            self.handles.append(handle)
            self.contexts.append(context)
            self.streams.append(_check(cu.cuStreamCreate(
                int(cu.CUstream_flags.CU_STREAM_NON_BLOCKING)), "cuStreamCreate"))
            self.archs.append(f"sm_{major}{minor}")
            self.names.append(name.split(b"\0")[0].decode())
        self._lock = threading.Lock()

    def _enter(self, device: Device):
        _check(self.cu.cuCtxSetCurrent(self.contexts[device.id]), "cuCtxSetCurrent")
        return self.streams[device.id]

    def synchronize(self, device: Device) -> None:
        _check(self.cu.cuStreamSynchronize(self._enter(device)), "cuStreamSynchronize")

    def alloc(self, device: Device, nbytes: int) -> int:
        if nbytes == 0:
            return 0
        stream = self._enter(device)
        return int(_check(self.cu.cuMemAllocAsync(nbytes, stream), "cuMemAllocAsync"))

    def free(self, device: Device, ptr: int) -> None:
        stream = self._enter(device)
        _check(self.cu.cuMemFreeAsync(ptr, stream), "cuMemFreeAsync")

    def to_device(self, array, device: Device) -> DeviceBuffer:
        host = np.array(array, order="C", copy=True)
        buffer = DeviceBuffer(self, device, self.alloc(device, host.nbytes), host.shape,
                              host.dtype)
        if host.nbytes:
            stream = self._enter(device)
            _check(self.cu.cuMemcpyHtoDAsync(buffer.ptr, host.ctypes.data, host.nbytes, stream),
                   "cuMemcpyHtoDAsync")
            self.synchronize(device)  # the host array may change once we return
        return buffer

    def from_device(self, buffer: DeviceBuffer) -> np.ndarray:
        host = np.empty(buffer.shape, buffer.dtype)
        if host.nbytes:
            stream = self._enter(buffer.device)
            _check(self.cu.cuMemcpyDtoHAsync(host.ctypes.data, buffer.ptr, host.nbytes, stream),
                   "cuMemcpyDtoHAsync")
        self.synchronize(buffer.device)
        host.flags.writeable = False
        return host

    def device_of(self, buffers) -> Device:
        for b in buffers:
            if isinstance(b, DeviceBuffer):
                return b.device
        return devices("cuda")[0]

    def load(self, executable, device: Device) -> "LoadedProgram":
        return LoadedProgram(self, executable, device)


class LoadedProgram:
    """An executable's modules loaded on one device, its constants uploaded."""

    def __init__(self, driver: Driver, executable, device: Device):
        self.driver, self.executable, self.device = driver, executable, device
        cu = driver.cu
        driver._enter(device)
        native = driver.archs[device.id] == executable.arch
        self.functions = {}
        for m in executable.modules:
            image = m.cubin if (native and m.cubin) else m.ptx.encode() + b"\0"
            handle = _check(cu.cuModuleLoadData(image), f"cuModuleLoadData({m.name})")
            self.functions[m.name] = handle
        self.kernels = {}
        for launch in executable.plan.launches:
            key = (launch["module"], launch["kernel"])
            if key not in self.kernels:
                self.kernels[key] = _check(cu.cuModuleGetFunction(
                    self.functions[key[0]], key[1].encode()), f"cuModuleGetFunction({key[1]})")
        self.constants = {name: driver.to_device(np.frombuffer(data, np.uint8), device)
                          for name, data in executable.plan.globals.items()}

    def run(self, buffers: list) -> list:
        driver, cu, plan = self.driver, self.driver.cu, self.executable.plan
        stream = driver._enter(self.device)
        outputs = [DeviceBuffer(driver, self.device, 0, s.shape, s.dtype)
                   for s in self.executable.out_specs]
        for out in outputs:
            out.ptr = driver.alloc(self.device, out.nbytes)
        pointers, temps = [], []
        for b in plan.buffers:
            if b["kind"] == "input":
                pointers.append(buffers[b["index"]].ptr)
            elif b["kind"] == "output":
                pointers.append(outputs[b["index"]].ptr)
            elif b["kind"] == "global":
                pointers.append(self.constants[b["name"]].ptr)
            else:
                temps.append(driver.alloc(self.device, b["bytes"]))
                pointers.append(temps[-1])
        for launch in plan.launches:
            if 0 in launch["grid"]:  # an empty array: nothing to launch
                continue
            params = _params(launch["args"], pointers)
            array = (ctypes.c_void_p * len(params))(*[ctypes.addressof(p) for p in params])
            _check(cu.cuLaunchKernel(self.kernels[(launch["module"], launch["kernel"])],
                                     *launch["grid"], *launch["block"], launch["shared"], stream,
                                     ctypes.addressof(array), 0),
                   f"cuLaunchKernel({launch['kernel']})")
        for ptr in temps:
            if ptr:
                driver.free(self.device, ptr)
        return outputs


_SCALARS = {"i1": ctypes.c_bool, "i8": ctypes.c_int8, "i16": ctypes.c_int16,
            "i32": ctypes.c_int32, "i64": ctypes.c_int64, "f32": ctypes.c_float,
            "f64": ctypes.c_double}


def _params(args: list, pointers: list) -> list:
    """The kernel's parameters as ctypes values (MLIR's memref calling convention)."""
    params = []
    for a in args:
        if "buffer" in a:
            ptr = pointers[a["buffer"]]
            params += [ctypes.c_void_p(ptr), ctypes.c_void_p(ptr), ctypes.c_int64(a["offset"])]
            params += [ctypes.c_int64(v) for v in a["sizes"] + a["strides"]]
        elif a["type"] in ("f16", "bf16"):  # passed as their 16 bits
            import ml_dtypes

            dtype = np.float16 if a["type"] == "f16" else ml_dtypes.bfloat16
            params.append(ctypes.c_uint16(int(np.array(a["scalar"], dtype).view(np.uint16))))
        else:
            params.append(_SCALARS[a["type"]](a["scalar"]))
    return params


_DRIVER = None


def driver() -> Driver:
    """The process's :class:`Driver` (made at first use; NoDriverError without one)."""
    global _DRIVER
    if _DRIVER is None:
        _DRIVER = Driver()
    return _DRIVER


def devices(backend: str) -> list[Device]:
    """One :class:`Device` per GPU, empty when there is no driver (or it fails to start:
    a driver without a usable GPU)."""
    try:
        d = driver()
    except (NoDriverError, CudaError):
        return []
    made = d.__dict__.setdefault("device_objects", {})
    if backend not in made:  # made once: the same objects every time
        made[backend] = [Device("cuda", i, backend, device_kind=name)
                         for i, name in enumerate(d.names)]
    return made[backend]
