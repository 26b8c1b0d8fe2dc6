"""Metrics of sequences and strings: edit distance, orderings (Kendall tau), spans."""
