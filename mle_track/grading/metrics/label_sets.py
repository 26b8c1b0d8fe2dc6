"""Metrics of metrics of space-separated label sets: micro and macro F1 over sets."""
