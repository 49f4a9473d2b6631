"""Visits to vulnerable places (seed 001, module 5): planned, contacted, visited, referred."""
