"""The package version, at the bottom so any layer may name it without importing the package."""

__version__ = "0.1.0"
