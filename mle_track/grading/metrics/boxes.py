"""Metrics of boxes: mean average precision over 2-D and 3-D IoU thresholds, study- and image-level detection mAP."""
