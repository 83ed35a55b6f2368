"""``hlox.ad_checkpoint`` (``jax.ad_checkpoint``): checkpoint, its policies and checkpoint_name."""

from hlox.frontend.transforms.checkpoint import (checkpoint, checkpoint_name, checkpoint_policies,
                                                 remat)

__all__ = ["checkpoint", "checkpoint_name", "checkpoint_policies", "remat"]
