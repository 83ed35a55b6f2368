"""``hlox.numpy``: NumPy's API over the lax primitives (base: conversion, promotion,
broadcasting; math, shape, bits, extras, indexing)."""
