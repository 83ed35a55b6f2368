"""A linear model trained with SGD through hlox.value_and_grad (the loss falls).

    python examples/linear_regression.py
"""

import numpy as np

import hlox
import hlox.numpy as hnp


def loss(params, x, y):
    pred = hnp.matmul(x, params["w"]) + params["b"]
    err = pred - y
    return hnp.mean(err * err)


def train(steps=100, lr=0.1, seed=0, verbose=True):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, 3)).astype(np.float32)
    true_w = np.array([2.0, -1.0, 0.5], np.float32)
    y = (x @ true_w + 0.3 + 0.01 * rng.standard_normal(256)).astype(np.float32)
    params = {"w": np.zeros(3, np.float32), "b": np.float32(0.0)}
    step = hlox.jit(hlox.value_and_grad(loss))
    losses = []
    for i in range(steps):
        value, grads = step(params, x, y)
        params = {k: (params[k] - lr * np.asarray(grads[k])).astype(np.float32) for k in params}
        losses.append(float(value))
        if verbose and i % 20 == 0:
            print(f"step {i:3d}  loss {float(value):.6f}")
    return params, losses


def main():
    params, losses = train()
    print(f"final loss {losses[-1]:.6f} (from {losses[0]:.6f})")
    print("w =", params["w"], " b =", float(params["b"]))
    if not losses[-1] < 0.01 * losses[0]:
        raise SystemExit("the loss did not fall")


if __name__ == "__main__":
    main()
