"""Board packs: the board for a service area (or all), hubs and month as one PowerPoint or PDF.

    from scst_metrics.pack import build_pack
    build_pack("data/scst.duckdb", area="lac", hubs=["LAC1"], out=Path("lac.pptx"))

Cover (Trust, board, month, data as at, the last load's status), the summary matrix
(exceptions first), then one slide or page per indicator in the same order: its chart, latest
value, target, change, how we compare (DfE benchmarks, where published), the definition in a
line and its commentary. Small numbers are suppressed by default (DfE's convention; see
content.py). The format follows `out`'s extension: .pptx or .pdf. No Streamlit here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..access import HubNotAllowed
from .content import Pack, PackError, Progress, gather, parse_month

FORMATS = (".pptx", ".pdf")

__all__ = ["FORMATS", "HubNotAllowed", "Pack", "PackError", "build_pack", "parse_month"]


def build_pack(
    db: str | os.PathLike,
    *,
    area: str | None = None,
    hubs: Sequence[str] = (),
    month: date | str | None = None,
    out: Path,
    suppress_small: bool = True,
    progress: Progress | None = None,
    notes_url: str | None = None,
    allowed: frozenset[str] | None = None,
) -> Path:
    """Write the pack to `out` (.pptx or .pdf) and return its path.

    area: a service area id ("hubs", "lac", "fostering", "virtual_school"), or None / "all";
    hubs: hub ids (none: the whole Trust); month: a date in the month or "YYYY-MM" (None: the
    latest in the data); progress(done, total, what) is called as each indicator is drawn.
    allowed: the hubs the person the pack is for may read (scst_metrics.access: the pages'
    rule; None: every hub). Raises PackError, naming what is wrong, for a bad area, hub, month
    or extension, and access.HubNotAllowed for a hub (or Trust total) outside `allowed`.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise PackError(
            f"Cannot write {out.name!r}: the pack is written as .pptx (PowerPoint) or .pdf."
        )
    if isinstance(month, str):
        month = parse_month(month)
    pack = gather(
        db,
        area=area,
        hubs=hubs,
        month=month,
        suppress_small=suppress_small,
        notes_url=notes_url,
        progress=progress,
        allowed=allowed,
    )
    if suffix == ".pptx":
        from .slides import write_pptx

        return write_pptx(pack, out)
    from .document import write_pdf

    return write_pdf(pack, out)
