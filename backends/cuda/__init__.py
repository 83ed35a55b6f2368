"""The ``cuda`` backend (NVIDIA GPUs): see :mod:`hlox.backends.cuda.backend`."""
