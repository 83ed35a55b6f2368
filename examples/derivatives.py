"""Derivatives of f(x) = x**3 + 2x**2 - 3x + 1 up to the 4th, by nesting hlox.grad.

    python examples/derivatives.py

Expected at x = 2: f = 11, f' = 17, f'' = 16, f''' = 6, f'''' = 0. The third
derivative is also compiled with hlox.jit (jit of grad of grad of grad).
"""

import numpy as np

import hlox


def f(x):
    return x ** 3 + 2 * x ** 2 - 3 * x + 1


def main():
    x = 2.0
    fn, names = f, ["f", "f'", "f''", "f'''", "f''''"]
    coefficients = np.array([1.0, 2.0, -3.0, 1.0])  # f as a polynomial, to check against
    for name in names:
        value = float(fn(x))
        print(f"{name:6s}({x}) = {value}")
        expected = float(np.polyval(coefficients, x))
        if abs(value - expected) > 1e-4 * max(1.0, abs(expected)):
            raise SystemExit(f"{name}({x}) should be {expected}")
        fn, coefficients = hlox.grad(fn), np.polyder(coefficients)
    d3 = hlox.jit(hlox.grad(hlox.grad(hlox.grad(f))))
    print("jit(f''')(2.0) =", float(d3(np.float32(x))))
    print(d3.lower(np.float32(x)).as_text("graph"))


if __name__ == "__main__":
    main()
