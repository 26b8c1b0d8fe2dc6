"""Metrics of segmentation masks in run-length encoding: Dice, IoU precision, Hausdorff."""
