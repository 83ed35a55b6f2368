"""Python op classes of the `stablehlo` dialect, generated from our ODS.

Build ops inside a context from :func:`hlox.dialects.make_context`, e.g.
``stablehlo.SomeOp(...)``; every class mirrors the op's ODS definition.
"""

from hlox.dialects._stablehlo_ops_gen import *  # noqa: F401,F403
