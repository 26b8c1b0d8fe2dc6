"""``python -m mle_track.agents.baseline``: run the baseline agent inside a sandbox.

Thread pools are configured before numpy, scikit-learn or LightGBM load their runtimes (they
read these variables only then). OpenMP threads (LightGBM) busy-wait between parallel regions by
default, and OpenBLAS threads do too; when the sandbox's CPUs are shared with other work, that
spinning made training 20-25 times slower in our measurements. So OpenMP waits passively, and
BLAS runs single-threaded: the agent's matrices are small enough that BLAS threads gained
nothing, while LightGBM still gets every CPU the sandbox grants.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from mle_track.agents.baseline.run import main

raise SystemExit(main())
