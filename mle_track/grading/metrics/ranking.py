"""Metrics of rankings of labels: label-ranking average precision."""
