"""The primitives of ``hlox.lax``: ``base`` (elementwise arithmetic, dot_general, broadcast,
convert) and one module per family (math, reductions, bits, sort, structural, conv)."""
