"""hlox's user-facing tracer errors, under JAX's names (``jax.errors``)."""

from hlox.frontend.core.tracing import (ConcretizationTypeError, TracerBoolConversionError,
                                        TracerError, TracerIntegerConversionError)

__all__ = ["ConcretizationTypeError", "TracerBoolConversionError", "TracerError",
           "TracerIntegerConversionError"]
