"""Every MLflow name the project writes or reads: tags, metrics, param prefixes, statuses.

Runs written by one version are read back by reports, resume checks, sync and the champion
registry of another, so a name spelt twice is a bug waiting for a rename. Every module that
talks to MLflow takes its names from here; nothing else in this module does anything.
"""

from __future__ import annotations

from enum import StrEnum

#: the experiment when neither ``tracking.experiment`` nor a suite names one
DEFAULT_EXPERIMENT = "mle-track"


class AttemptStatus(StrEnum):
    """How an attempt ended (the ``attempt_status`` tag); ``ERROR`` is the harness's failure."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMEOUT = "timeout"
    OOM = "oom"
    ERROR = "error"
    #: a RUNNING run whose owner died; the attempt is run again
    INTERRUPTED = "interrupted"


class Tag:
    """Tags on attempt (child) runs and sweep (parent) runs."""

    # --- set by MLflow's conventions
    PARENT_RUN = "mlflow.parentRunId"
    # --- identity of an attempt
    ATTEMPT_KEY = "attempt_key"
    CONFIG_HASH = "config_hash"
    COMPETITION_ID = "competition_id"
    COMPETITION_VERSION = "competition_version"
    SPLITS = "splits"
    SUITE = "suite"
    AGENT = "agent"
    MODEL = "model"
    COMPUTE = "compute"
    COMPUTE_PRESET = "compute_preset"
    SANDBOX = "sandbox"
    SEED = "seed"
    DATA_ROOT = "data_root"
    # --- provenance
    VERSION = "mle_track.version"
    GIT_SHA = "git_sha"
    # --- how it went
    ATTEMPT_STATUS = "attempt_status"
    ATTEMPT_REASON = "attempt_reason"
    RULE_VIOLATION = "rule_violation"
    #: none | namespaces | docker (mle_track.sandbox.base.Isolation)
    ISOLATION = "sandbox.isolation"
    RUN_DIR = "run_dir"
    # --- the claim on a RUNNING run (see mle_track.tracking.claims)
    OWNER_HOST = "mle_track.owner.host"
    OWNER_BOOT = "mle_track.owner.boot_id"
    OWNER_PID = "mle_track.owner.pid"
    OWNER_PID_START = "mle_track.owner.pid_start"
    HEARTBEAT = "mle_track.heartbeat"
    # --- sweep parents
    SWEEP = "sweep"
    SWEEP_DIR = "sweep_dir"
    OVERRIDES = "overrides"
    CONFIGURATIONS = "configurations"
    # --- registered champions (model version tags)
    MODEL_ID = "model_id"
    # --- runs that are neither attempts nor sweeps
    #: the run holding a champion's registration (value ``champion``)
    REGISTRATION = "registration"
    #: a ``mle-track report`` run holding the leaderboard and plots (value ``true``)
    REPORT = "report"


class RuleViolation:
    """Values of the ``rule_violation`` tag: what the harness caught an attempt doing."""

    #: the agent wrote into its public data (graded, flagged; the next attempt refuses the data)
    PUBLIC_DATA = "modified public data"
    #: the private answers changed while the attempt ran (a harness error: not graded)
    PRIVATE_ANSWERS = "modified private answers"


class Metric:
    """Metrics of attempt runs and sweep parents."""

    SCORE = "score"
    NORMALIZED_SCORE = "normalized_score"
    RUNTIME_S = "runtime_s"
    TIMED_OUT = "timed_out"
    VALID_SUBMISSION = "valid_submission"
    SUBMISSION_EXISTS = "submission_exists"
    GOLD_MEDAL = "gold_medal"
    SILVER_MEDAL = "silver_medal"
    BRONZE_MEDAL = "bronze_medal"
    ANY_MEDAL = "any_medal"
    ABOVE_MEDIAN = "above_median"
    GOLD_THRESHOLD = "gold_threshold"
    SILVER_THRESHOLD = "silver_threshold"
    BRONZE_THRESHOLD = "bronze_threshold"
    MEDIAN_THRESHOLD = "median_threshold"
    LLM_INPUT_TOKENS = "llm_input_tokens"
    LLM_OUTPUT_TOKENS = "llm_output_tokens"
    LLM_COST_USD = "llm_cost_usd"
    LLM_TRACES = "llm_traces"
    LLM_CALLS = "llm_calls"
    LLM_FAILED_CALLS = "llm_failed_calls"
    # --- sweep parents
    ATTEMPTS = "attempts"
    FAILED_ATTEMPTS = "failed_attempts"


#: the report's yes/no outcomes, logged as 0/1 metrics
BOOL_METRICS = (
    Metric.VALID_SUBMISSION,
    Metric.SUBMISSION_EXISTS,
    Metric.GOLD_MEDAL,
    Metric.SILVER_MEDAL,
    Metric.BRONZE_MEDAL,
    Metric.ANY_MEDAL,
    Metric.ABOVE_MEDIAN,
)
THRESHOLD_METRICS = (
    Metric.GOLD_THRESHOLD,
    Metric.SILVER_THRESHOLD,
    Metric.BRONZE_THRESHOLD,
    Metric.MEDIAN_THRESHOLD,
)
LLM_METRICS = (Metric.LLM_INPUT_TOKENS, Metric.LLM_OUTPUT_TOKENS, Metric.LLM_COST_USD)

#: params are the flattened configuration: ``agent.*``, ``model.*``, ``compute.*``,
#: ``sandbox.*`` plus these single values
PARAM_PREFIXES = ("agent.", "model.", "compute.", "sandbox.")
PARAM_COMPETITION = "competition"
PARAM_COMPETITION_VERSION = "competition_version"
PARAM_SEED = "seed"
PARAM_SUITE = "suite"
PARAM_DATA_ROOT = "data_root"

#: the dataset input's context tag
DATASET_CONTEXT_TAG = "mlflow.data.context"
DATASET_CONTEXT = "competition"
