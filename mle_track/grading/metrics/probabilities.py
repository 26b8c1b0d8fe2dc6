"""Metrics of probabilities: weighted multi-label log loss, probabilistic F1."""
