"""DfE benchmarks: England, region and statistical neighbours beside our indicators.

- figures.py: read DfE's LAIT long file; write/read the shipped data/benchmarks/dfe_figures.csv
- neighbours.py: DfE's statistical neighbours lists (data/benchmarks/statistical_neighbours.csv)
- which authority we are: scst_metrics/authority.py (data/authority.toml), re-exported here
- measures.py: indicator id -> DfE measure, with the differences in definition
- compare.py: neighbours' average, rank and quartile as DfE's LAIT computes them
- reconcile.py: our year-end figure beside DfE's published figure for us (data quality)
- labels.py: the words for a DfE figure (its year, its value, a suppression symbol)
- read.py: what pages read from the published file (for_indicator, overview_column,
  reconciliation); the chart markers and tables are in scst_metrics/charts/benchmarks.py

`benchmarks_frame()` gives the rows of the published `indicator_benchmarks` table;
`publish_benchmarks(con)` is the load's call (that table, then `benchmark_reconciliation`).
Rebuild the shipped file: python -m scst_metrics.benchmarks --from PATH --out PATH.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from scst_metrics.authority import Authority, AuthorityFileError, read_authority
from scst_metrics.benchmarks.compare import compare
from scst_metrics.benchmarks.figures import BenchmarksFileError, read_figures, read_lait
from scst_metrics.benchmarks.measures import MEASURES, DfeMeasure
from scst_metrics.benchmarks.neighbours import read_neighbours
from scst_metrics.benchmarks.tables import BENCHMARKS

DATA = Path(__file__).resolve().parents[2] / "data" / "benchmarks"
FIGURES = DATA / "dfe_figures.csv"
NEIGHBOURS = DATA / "statistical_neighbours.csv"

__all__ = [
    "MEASURES",
    "Authority",
    "BenchmarksFileError",
    "DfeMeasure",
    "benchmarks_frame",
    "compare",
    "publish_benchmarks",
    "read_authority",
    "read_figures",
    "read_lait",
    "read_neighbours",
    "write_table",
]


TABLE = BENCHMARKS.name


def write_table(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Create `indicator_benchmarks` in the database being built and fill it from `frame`
    (benchmarks_frame()); returns the number of rows."""
    return BENCHMARKS.write(con, frame)


def benchmarks_frame(
    authority: Authority | None = None,
    figures_csv: Path = FIGURES,
    neighbours_csv: Path = NEIGHBOURS,
) -> pd.DataFrame:
    """The `indicator_benchmarks` rows for `authority` (default: data/authority.toml)."""
    try:
        authority = authority or read_authority()
    except AuthorityFileError as e:  # the load refuses it as any benchmarks input
        raise BenchmarksFileError(str(e)) from e
    return compare(read_figures(figures_csv), read_neighbours(neighbours_csv), authority)


def publish_benchmarks(
    con: duckdb.DuckDBPyConnection,
    authority: Authority | None = None,
    figures_csv: Path = FIGURES,
    neighbours_csv: Path = NEIGHBOURS,
) -> tuple[int, pd.DataFrame]:
    """The load's one call, in the database being built AFTER the indicators are
    materialised: `indicator_benchmarks` for `authority` (default: data/authority.toml), then
    `benchmark_reconciliation` (our year-end figures beside DfE's). Returns (benchmark rows,
    reconciliation frame). A malformed benchmarks, neighbours or authority file raises
    BenchmarksFileError naming file, line and column: the load refuses, as for any source."""
    from scst_metrics.benchmarks.reconcile import write_reconciliation

    n = write_table(con, benchmarks_frame(authority, figures_csv, neighbours_csv))
    return n, write_reconciliation(con)
