"""detlint: find nondeterminism and save/load pitfalls in ML code."""

__version__ = "0.1.0"
