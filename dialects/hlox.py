"""Python op classes of the `hlox` dialect, generated from our ODS.

Build ops inside a context from :func:`hlox.dialects.make_context`, e.g.
``hlox.SomeOp(...)``; every class mirrors the op's ODS definition.
"""

from hlox.dialects._hlox_ops_gen import *  # noqa: F401,F403
