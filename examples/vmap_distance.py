"""vmap of a squared distance over 10000 2-D points (and its gradient per point).

    python examples/vmap_distance.py
"""

import numpy as np

import hlox
import hlox.numpy as hnp


def sqdist(p, c):
    d = p - c
    return hnp.sum(d * d)


def main():
    rng = np.random.default_rng(0)
    points = rng.standard_normal((10000, 2)).astype(np.float32)
    centre = np.array([0.5, -0.25], np.float32)
    dists = hlox.jit(hlox.vmap(sqdist, in_axes=(0, None)))(points, centre)
    expected = ((points - centre) ** 2).sum(axis=1)
    print("max |hlox - numpy| =", float(np.max(np.abs(dists - expected))))
    grads = hlox.vmap(hlox.grad(sqdist), in_axes=(0, None))(points, centre)
    print("per-point gradients (2 (p - c)), first 3:\n", grads[:3])
    grad_error = float(np.max(np.abs(grads - 2 * (points - centre))))
    print("max |grad - 2(p - c)| =", grad_error)
    if not np.allclose(dists, expected, rtol=1e-5, atol=1e-5) or grad_error > 1e-5:
        raise SystemExit("hlox and numpy disagree")


if __name__ == "__main__":
    main()
