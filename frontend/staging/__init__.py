"""Staging: ``jit`` (Lowered, Compiled) and ``make_jaxpr``."""
