from hlox.passes import sharding_passes  # noqa: F401  (registers hlox-import-sharding / hlox-export-sharding)
from hlox.passes import readonly_arguments  # noqa: F401  (registers hlox-readonly-arguments)
from hlox.passes import vectorize_contractions  # noqa: F401  (registers hlox-cpu-vectorize-contractions)
from hlox.passes import math_approximations  # noqa: F401  (registers hlox-cpu-math-approximations)
