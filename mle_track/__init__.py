"""mle-track: MLE-bench as an MLflow-integrated experiment tracker.

The public API is small on purpose: competitions, grading and (with the tracking extras) runs.
Heavy modules are imported by the functions that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
