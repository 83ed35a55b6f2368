from hlox.passes import import_mhlo_sharding  # noqa: F401  (registers hlox-import-mhlo-sharding)
from hlox.passes import readonly_arguments  # noqa: F401  (registers hlox-readonly-arguments)
from hlox.passes import sdy_passes  # noqa: F401  (registers hlox-drop-sdy)
