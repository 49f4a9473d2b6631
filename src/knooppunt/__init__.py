"""Knooppunt: information hub for the integrated approach to undermining crime."""

__version__ = "0.1.0"
