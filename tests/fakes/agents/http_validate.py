"""Checks the sample submission through the validation server, as MLE-bench agents do."""

import json
import os
import urllib.request
import uuid
from pathlib import Path

data = Path(os.environ["DATA_DIR"])
sample = next(p for p in sorted(data.iterdir()) if "sample" in p.name)
with urllib.request.urlopen("http://localhost:5000/health", timeout=5) as response:
    print("health:", json.loads(response.read()), flush=True)
boundary = uuid.uuid4().hex
body = (
    (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\n'
    ).encode()
    + sample.read_bytes()
    + f"\r\n--{boundary}--\r\n".encode()
)
request = urllib.request.Request(
    "http://localhost:5000/validate",
    data=body,
    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
)
with urllib.request.urlopen(request, timeout=10) as response:
    print("validate:", json.loads(response.read())["result"], flush=True)
