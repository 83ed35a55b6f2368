"""The tracer core: abstract values, primitives and their rule registries, graphs, traces,
dtypes, hlox.Array and the emission of a graph to StableHLO."""
