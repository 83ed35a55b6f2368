"""Transformations of traced functions: ad (jvp, vjp, grad), jacobians, batching (vmap),
control flow, checkpoint, custom derivatives, and the closed subgraphs they share."""
