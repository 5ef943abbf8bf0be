"""Extract readers: one per source format, each turning its part of a drop into typed tables.

A drop is a folder with up to three parts (docs/data-contract.md):
`ssda903/` (DfE SSDA903 CSVs), `cin/` (CIN census XML), `local/` (the Trust's own CSVs).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .csv_files import read_csv_source
from .problems import SourceResult
from .schema import LOCAL, SSDA903
from .staging import Staging

SOURCES = {SSDA903: "SSDA903", "cin": "CIN census", LOCAL: "local"}


def read_source(
    extracts: Path, source: str, as_at: date, staging: Staging | None = None
) -> SourceResult | None:
    """Read one part of the drop into `staging` (see scst_metrics.extracts.staging); None when
    the drop has no folder for it."""
    folder = extracts / source
    if not folder.is_dir():
        return None
    if source == "cin":
        from .cin_census import read_cin

        return read_cin(folder, root=extracts, as_at=as_at, staging=staging)
    return read_csv_source(
        folder, source, root=extracts, as_at=as_at, source_label=SOURCES[source], staging=staging
    )
