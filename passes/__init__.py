from hlox.passes import sharding_passes  # noqa: F401  (registers hlox-import-sharding / hlox-export-sharding)
from hlox.passes import readonly_arguments  # noqa: F401  (registers hlox-readonly-arguments)
from hlox.passes import sdy_passes  # noqa: F401  (registers hlox-drop-sdy)
