"""Metrics of detection and localisation: points and boxes matched against the truth."""
