"""Metrics of weighted and partial areas under ROC curves."""
