"""The Hydra application: composes a run configuration and hands it to the job. No logic of its
own beyond turning configuration into a plan."""
