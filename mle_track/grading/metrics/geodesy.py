"""Metrics of positions on the Earth: haversine errors per phone and their percentiles."""
