"""The one pipeline of an attempt: plan → claim → prepare → sandbox → grade → record → track.

:func:`mle_track.attempt.pipeline.run_attempt` is what every Hydra job and ``mle-track
run-agent`` call; the plan (:class:`mle_track.attempt.plan.RunSpec`) says what to run and its
hash says which agent configuration it is. Nothing is imported here, so reading a plan does not
pull in the sandboxes and agents.
"""
