"""The nightly load: validate the night's extracts, build the detail file and the board's file,
publish both atomically.

python -m scst_metrics.load --extracts data/extracts --db data/scst.duckdb

The steps that run on the drop's tables (the indicator library) are declared by the entry
point `scst_metrics.nightly`, not imported here: this package sits below the indicators.
"""

from .pipeline import LoadOutcome, load_drop
from .publish import detail_path
from .steps import Refused, Step, StepContext

__all__ = ["LoadOutcome", "Refused", "Step", "StepContext", "detail_path", "load_drop"]
