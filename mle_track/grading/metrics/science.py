"""Metrics of physical quantities: angular error, log-MAE per type, Laplace log-likelihood."""
