"""The one place the version lives (a leaf, so any layer may name it without importing the package root)."""

__version__ = "0.1.0"
