"""The Hydra entry point: ``mle-track run`` wraps it; ``python -m mle_track.app.main`` works too."""

from __future__ import annotations

import hydra
from omegaconf import DictConfig

from mle_track.app.schema import register_schemas
from mle_track.settings import conf_dir

#: absolute, so configs are found from any working directory
CONFIG_PATH = str(conf_dir())

register_schemas()


@hydra.main(version_base="1.3", config_path=CONFIG_PATH, config_name="config")
def main(cfg: DictConfig) -> str:
    from mle_track.app.job import run_job

    return run_job(cfg)


if __name__ == "__main__":
    main()
