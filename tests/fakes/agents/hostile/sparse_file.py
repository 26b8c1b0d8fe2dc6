"""Case 8b: a file that costs the agent nothing and the host its full size: ``truncate`` to
gigabytes (a sparse file: no block written, so a measure of the disk in use sees nothing),
which any copy that reads it (a tar stream, ``get_archive``) writes out as zeros in full."""

import os
import signal

from _common import CODE_DIR, hints, run, try_call


def main():
    size = int(float(hints()["sparse_gb"]) * (1 << 30))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    path = os.path.join(CODE_DIR, "sparse.bin")
    with open(path, "wb"):
        pass
    made = try_call(os.truncate, path, size)
    st = os.stat(path)
    return {"truncate": made, "size": st.st_size, "blocks_bytes": st.st_blocks * 512}


if __name__ == "__main__":
    run(main)
