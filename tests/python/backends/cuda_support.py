"""What the cuda backend's tests share: whether a GPU is here, and the mark for it."""

from __future__ import annotations

import pytest


def has_gpu() -> bool:
    from hlox.backends.cuda import runtime

    return bool(runtime.devices("cuda"))


# Tests that run kernels: skipped here (no GPU in development or CI).
requires_gpu = pytest.mark.skipif(
    "not __import__('cuda_support').has_gpu()",
    reason="needs an NVIDIA GPU and its driver (and cuda-bindings): "
           "tests/gpu/run_on_device.sh runs these on a GPU machine")
