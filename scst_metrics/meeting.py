"""The overview's table and meeting mode, both read off the MDC summary matrix (issues 10, 12).

No Streamlit and no database here: the inputs are the frames the read API gives --
`summary.summary_matrix` (rows sorted exceptions first), `benchmarks.read.overview_column`
and the set `notes.indicators_with_notes` returns -- and the outputs are what a page shows,
already worded, so a page only lays them out.

- `overview_table(matrix, compare, noted, link)`: one row per matrix row, in the matrix's
  order (exceptions first): words for every number, each icon as an SVG data: URI AND its text
  equivalent (icons.label), the sparkline as a list of numbers, a link to the chart.
- `exceptions(matrix)`: the rows meeting mode steps through -- the matrix's exceptions
  (exception_rank 0-3: special cause concern, consistent fail, inconsistent and off target,
  off target), in the matrix's order, which is the order the board pack uses.
- `item_number(raw, n)`: the `?item=N` of a link, checked (0-based; out of range -> nearest).
- `facts(row, compare)`: the few numbers meeting mode shows for one exception.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import pandas as pd

from .charts import formatting as fmt
from .charts import icons

NONE = "–"  # shown where there is nothing to say (no change, no comparison)

OVERVIEW_COLUMNS = [
    "indicator_id",
    "service_area",
    "Indicator",
    "Latest",
    "Month",
    "Target",
    "Variation icon",
    "Variation",
    "Assurance icon",
    "Assurance",
    "Trend",
    "Since last month",
    "Since last year",
    "Neighbours / England",
    "Commentary",
    "Exception",
    "Chart",
]


def _month_words(row: Mapping) -> str:
    label = row.get("period_label")
    if not label:
        return NONE
    return f"{label} (month in progress)" if row.get("part_month") else str(label)


def _title(row: Mapping, several_hubs: bool) -> str:
    if several_hubs and row.get("hub_id"):
        return f"{row['title']} — {row['hub_name']}"
    return str(row["title"])


def _icon(kind: object, svg: Callable[[str], str]) -> str | None:
    return None if fmt.is_missing(kind) else icons.data_uri(svg(str(kind)))


def _spark(values: object) -> list[float]:
    return [float(v) for v in (values or []) if not fmt.is_missing(v)]


def overview_table(
    matrix: pd.DataFrame,
    compare: pd.DataFrame,
    noted: Collection[str],
    link: Callable[[str, str], str],
) -> pd.DataFrame:
    """The overview's rows (OVERVIEW_COLUMNS), in the matrix's order. `compare` is
    overview_column's frame, `noted` the ids with commentary, `link(service_area,
    indicator_id)` the URL of an indicator's chart."""
    comparison = dict(zip(compare["indicator_id"], compare["text"], strict=True))
    several = matrix["hub_id"].dropna().nunique() > 1
    rows = []
    for r in matrix.to_dict("records"):
        unit = r["unit"]
        rows.append(
            {
                "indicator_id": r["indicator_id"],
                "service_area": r["service_area"],
                "Indicator": _title(r, several),
                "Latest": fmt.format_value(r["value"], unit),
                "Month": _month_words(r),
                "Target": fmt.format_target(r["target"], r["target_low"], r["target_high"], unit)
                or "no target",
                "Variation icon": _icon(r["variation"], icons.variation_svg),
                "Variation": icons.label(r["variation"]),
                "Assurance icon": _icon(r["assurance"], icons.assurance_svg),
                "Assurance": "No target to assure"
                if r["assurance"] is None
                else icons.label(r["assurance"]),
                "Trend": _spark(r["sparkline"]),
                "Since last month": fmt.format_change(r["change_since_last_month"], unit) or NONE,
                "Since last year": fmt.format_change(r["change_since_last_year"], unit) or NONE,
                "Neighbours / England": comparison.get(r["indicator_id"], NONE),
                "Commentary": "Yes" if r["indicator_id"] in noted else "",
                "Exception": r["exception"] or "",
                "Chart": link(r["service_area"], r["indicator_id"]),
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def exceptions(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix's exceptions (rank 0-3), in its order (special cause concern first)."""
    return matrix[matrix["exception_rank"] < 4].reset_index(drop=True)


def item_number(raw: object, n: int) -> int:
    """The 0-based item a `?item=` value asks for, kept inside 0..n-1 (0 for nonsense)."""
    try:
        i = int(str(raw))
    except (TypeError, ValueError):
        return 0
    return max(0, min(i, n - 1)) if n else 0


def facts(row: Mapping, compare: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, words) for the numbers that matter in a meeting, for one matrix row."""
    unit = row["unit"]
    comparison = dict(zip(compare["indicator_id"], compare["text"], strict=True))
    return [
        ("Latest", f"{fmt.format_value(row['value'], unit)} ({_month_words(row)})"),
        (
            "Target",
            fmt.format_target(row["target"], row["target_low"], row["target_high"], unit)
            or "no target",
        ),
        ("Since last month", fmt.format_change(row["change_since_last_month"], unit) or NONE),
        ("Since last year", fmt.format_change(row["change_since_last_year"], unit) or NONE),
        ("Variation", icons.label(row["variation"])),
        (
            "Assurance",
            "No target to assure" if row["assurance"] is None else icons.label(row["assurance"]),
        ),
        ("Neighbours / England", comparison.get(row["indicator_id"], NONE)),
    ]
