"""MLflow tracking: the store, one run per attempt, sweeps, resume, reports and the registry.

Library code here uses ``MlflowClient`` with explicit run ids; only the app edge uses the fluent
API, because fluent "active run" state does not cross into launcher worker processes.
"""
