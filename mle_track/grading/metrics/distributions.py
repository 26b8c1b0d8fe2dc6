"""Metrics of class distributions: KL divergence."""
