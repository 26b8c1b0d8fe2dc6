"""Create the MLflow artifact bucket in the S3 store if it is missing, then exit.

``docker/compose.yaml`` runs this once before ``mlflow server`` starts, because the server
expects its ``--artifacts-destination`` bucket to exist and MinIO starts empty. It is idempotent
(an existing bucket is fine) and waits a little for the store to answer, so a restart of the
stack in any order works. It reads the same variables as the server: ``MLFLOW_S3_ENDPOINT_URL``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, plus ``MLFLOW_BUCKET``.
"""

from __future__ import annotations

import os
import sys
import time

import boto3
from botocore.exceptions import BotoCoreError, ClientError

MISSING = {"404", "NoSuchBucket", "NotFound"}


def ensure_bucket(bucket: str, endpoint: str, timeout_s: float = 60.0) -> str:
    """``"exists"`` or ``"created"``; raises when the store never answers or refuses us."""
    s3 = boto3.client("s3", endpoint_url=endpoint)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            s3.head_bucket(Bucket=bucket)
            return "exists"
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) not in MISSING:
                raise  # wrong credentials, a forbidden name: waiting will not help
            s3.create_bucket(Bucket=bucket)
            return "created"
        except BotoCoreError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def main() -> int:
    bucket = os.environ.get("MLFLOW_BUCKET", "mlflow")
    endpoint = os.environ["MLFLOW_S3_ENDPOINT_URL"]
    try:
        outcome = ensure_bucket(bucket, endpoint)
    except (BotoCoreError, ClientError) as exc:
        print(f"create_bucket: cannot make bucket {bucket!r} at {endpoint}: {exc}", file=sys.stderr)
        return 1
    print(f"create_bucket: bucket {bucket!r} at {endpoint}: {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
