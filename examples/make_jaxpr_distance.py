"""make_jaxpr of the vmapped squared distance over 10000 2-D points.

Prints the traced graph (jaxpr-like) of ``vmap(sqdist)`` and of its
per-point gradient, then of a version that walks the points with lax.map,
whose loop body prints as a nested graph.

    python examples/make_jaxpr_distance.py
"""

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox import lax


def sqdist(p, c):
    d = p - c
    return hnp.sum(d * d)


def main():
    points = np.zeros((10000, 2), np.float32)
    centre = np.zeros(2, np.float32)
    print("vmap(sqdist):")
    print(hlox.make_jaxpr(hlox.vmap(sqdist, in_axes=(0, None)))(points, centre))
    print("\nvmap(grad(sqdist)):")
    print(hlox.make_jaxpr(hlox.vmap(hlox.grad(sqdist), in_axes=(0, None)))(points, centre))
    print("\nlax.map(sqdist) (a scan over the points):")
    print(hlox.make_jaxpr(lambda ps, c: lax.map(lambda p: sqdist(p, c), ps))(points, centre))


if __name__ == "__main__":
    main()
