"""Benchmarks printed by `make bench-*`: figures are measured and printed, never asserted."""
