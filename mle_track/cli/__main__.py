"""``python -m mle_track.cli``."""

from mle_track.cli import main

raise SystemExit(main())
