"""The ``interpreter`` backend behind the :class:`~hlox.backends.base.Backend` protocol.

An adapter over :class:`hlox.backends.interpreter.InterpreterBackend` (the
numpy reference interpreter): it runs ``@main`` op by op on the host.
"""

from __future__ import annotations

from hlox.backends.base import CompileOptions, HostBuffers


class InterpreterAdapter(HostBuffers):
    name = "interpreter"
    platform = "interpreter"

    def __init__(self):
        from hlox.backends.interpreter import InterpreterBackend

        self.inner = InterpreterBackend()

    def devices(self) -> list[str]:
        return ["interpreter:0"]

    def pipeline(self) -> list[str]:
        return ["hlox-chlo-legalize-to-stablehlo"]

    def compile(self, module, options: CompileOptions | None = None):
        executable = self.inner.compile(module, "main")
        if not hasattr(executable, "stages"):
            executable.stages = {"stablehlo": executable.as_text()}
        return executable
