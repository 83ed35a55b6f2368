"""Python op classes of our minimal `sdy` (Shardy) dialect, generated from ODS.

Only what JAX prints into StableHLO: sdy.mesh, sdy.sharding_constraint,
sdy.reshard, sdy.manual_computation/sdy.return; build them inside a context
from :func:`hlox.dialects.make_context`.
"""

from hlox.dialects._sdy_ops_gen import *  # noqa: F401,F403
