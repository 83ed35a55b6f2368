"""Libraries over the NumPy layer: nn, random (with typed keys: key_array),
scipy_special, test_util."""
