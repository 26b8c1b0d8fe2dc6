"""Agents: the built-in ``dummy`` and ``baseline`` and external images (MLE-bench contract)."""
