"""Metrics of bias-aware AUCs over identity subgroups."""
