"""The nightly load: validate the night's extracts, build a new DuckDB file, publish it atomically.

python -m scst_metrics.load --extracts data/extracts --db data/scst.duckdb
"""

from .pipeline import LoadOutcome, load_drop

__all__ = ["LoadOutcome", "load_drop"]
