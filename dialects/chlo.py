"""Python op classes of the `chlo` dialect, generated from our ODS.

Build ops inside a context from :func:`hlox.dialects.make_context`, e.g.
``chlo.SomeOp(...)``; every class mirrors the op's ODS definition.
"""

from hlox.dialects._chlo_ops_gen import *  # noqa: F401,F403
