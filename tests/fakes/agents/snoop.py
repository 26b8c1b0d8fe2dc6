"""Hunts for the private answers from its data folder and reports what it could reach."""

import json
import os
import sys
from pathlib import Path

marker = sys.argv[1].encode()
data = Path(os.environ["DATA_DIR"])
reached, leaks, links = [], [], []
for folder, dirs, files in os.walk(data, followlinks=True):
    for name in dirs + files:
        path = Path(folder, name)
        if path.is_symlink():
            links.append(os.readlink(path))
    for name in files:
        path = Path(folder, name)
        reached.append(str(path))
        try:
            if marker in path.read_bytes():
                leaks.append(str(path))
        except OSError:
            pass
for up in (data.parent, data.parent.parent):  # the neighbours of the data folder
    for path in up.iterdir():
        if "private" in path.name:
            leaks.append(str(path))
report = {"reached": reached, "leaks": leaks, "links": links}
Path(os.environ["LOGS_DIR"], "snoop.json").write_text(json.dumps(report))
print("agent snoop: reached", len(reached), "files,", len(leaks), "leaks", flush=True)
