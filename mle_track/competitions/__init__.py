"""Competition definitions: the frozen spec and the catalog that discovers them."""

from mle_track.competitions.catalog import Catalog, Suite
from mle_track.competitions.spec import CompetitionSpec, MetricSpec, load_spec

__all__ = ["Catalog", "CompetitionSpec", "MetricSpec", "Suite", "load_spec"]
