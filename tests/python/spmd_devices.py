"""Running a test module on 8 CPU devices, in hlox and in JAX.

Both fix their device count at first use (``JAX_NUM_CPU_DEVICES``,
``--xla_force_host_platform_device_count``), and the rest of the suite runs on one
device. A module that needs 8 calls :func:`outer_test` at module level: outside the
8-device interpreter it defines one test that runs the module again with pytest in a
fresh interpreter with 8 devices (its output shown on failure); inside, ``INNER`` is
true and the module defines its real tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

DEVICES = 8
INNER = os.environ.get("HLOX_TEST_DEVICES") == str(DEVICES)


def env() -> dict:
    return {**os.environ, "HLOX_TEST_DEVICES": str(DEVICES), "JAX_NUM_CPU_DEVICES": str(DEVICES),
            "XLA_FLAGS": f"--xla_force_host_platform_device_count={DEVICES}",
            "JAX_PLATFORMS": "cpu"}


def outer_test(path: str):
    """The test that runs ``path``'s tests on 8 devices in a fresh interpreter."""
    def test_on_8_devices():
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                                 "no:cacheprovider", path], env=env(), capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]

    return test_on_8_devices
