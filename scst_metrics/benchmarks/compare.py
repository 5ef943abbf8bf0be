"""How we compare: our published figure beside our statistical neighbours, region and England,
with our rank and quartile band, computed as DfE's Local Authority Interactive Tool computes
them (dfe-analytical-services/local-authority-interactive-tool, commit 2e30e39):

- neighbours: the plain mean of the neighbours' published values, suppressed ones left out
  (R/lait_modules/mod_la_lvl_table.R, LA_LongDataServer: `mean(values_num, na.rm = TRUE)`,
  NaN -> NA when none is published); suppressed values are NA (global.R, bds_clean).
- rank: among all authorities (LA number below 970) with a published value that year, 1 =
  best: descending when polarity is High, ascending when Low; ties take the lowest rank
  (R/fn_analysis.R, calculate_rank: `rank(..., ties.method = "min")`). No polarity: no rank.
- quartile band: R's default quantile (type 7, linear interpolation) of all authorities'
  values; A = best quarter respecting polarity; a value on a boundary belongs to the lower
  quarter (R/fn_analysis.R, calculate_quartile_band). No polarity, or No_Quartile = N: none.
- region: the authority's region row; for a London borough its Inner/Outer London row, or
  London when that row has no value in the measure's latest year (R/fn_helper_functions.R,
  clean_ldn_region).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from scst_metrics.authority import Authority
from scst_metrics.benchmarks.figures import ENGLAND_CODE, LONDON, REGION_OF
from scst_metrics.benchmarks.measures import HIGH, LOW, MEASURES, DfeMeasure
from scst_metrics.benchmarks.neighbours import neighbours_for
from scst_metrics.benchmarks.tables import BENCHMARKS

COLUMNS = BENCHMARKS.columns
COMPARATORS = ("us_published", "neighbours", "region", "england")


def dfe_rank(value: float, values: list[float], polarity: str) -> int | None:
    """1 = best; ties share the lowest rank (R rank(ties.method = "min"))."""
    if polarity not in (HIGH, LOW) or value is None or np.isnan(value):
        return None
    if polarity == HIGH:
        return 1 + sum(1 for v in values if v > value)
    return 1 + sum(1 for v in values if v < value)


def dfe_quartile(value: float, values: list[float], polarity: str) -> str | None:
    """Band A-D, A best (LAIT calculate_quartile_band, R quantile type 7)."""
    if polarity not in (HIGH, LOW) or value is None or np.isnan(value) or not values:
        return None
    q0, q25, q50, q75, q100 = np.quantile(
        np.asarray(values, dtype=float), [0, 0.25, 0.5, 0.75, 1.0]
    )
    if value < q0 or value > q100:
        return None
    position = 0 if value <= q25 else 1 if value <= q50 else 2 if value <= q75 else 3
    bands = "ABCD" if polarity == LOW else "DCBA"
    return bands[position]


def _region_code(figures: pd.DataFrame, measure: str, la_number: int) -> int | None:
    rows = figures[(figures.measure == measure) & (figures.geography_code == la_number)]
    names = [r for r in rows.region.dropna().unique() if r]
    if not names:
        return None
    code = REGION_OF.get(names[-1].strip().lower())
    if code in (987, 988):  # LAIT clean_ldn_region
        measure_rows = figures[figures.measure == measure]
        latest = measure_rows.year.max()
        sub = measure_rows[(measure_rows.year == latest) & (measure_rows.geography_code == code)]
        if sub.empty or sub.value.isna().all():
            code = LONDON
    return code


def _row(m: DfeMeasure, year: int, by_code: pd.DataFrame, comparator: str, code, **found) -> dict:
    """One row of `indicator_benchmarks` (COLUMNS): DfE's figure for geography `code` (None for
    the neighbours' average) in DfE's year `year`, as published unless `found` gives the value;
    `found` also gives our rank, rank_of and quartile, or the neighbours' detail."""
    value = found["value"] if "value" in found else by_code.value.get(code)
    symbol = by_code.symbol.get(code) if code is not None else None
    name = by_code.geography_name.get(code, "") if code is not None else ""
    return {
        "indicator_id": m.indicator_id,
        "year": year,
        "period_end": m.period_end(year),
        "comparator": comparator,
        "value": None if value is None or pd.isna(value) else float(value),
        "symbol": symbol if isinstance(symbol, str) and symbol else None,
        "rank": found.get("rank"),
        "rank_of": found.get("rank_of"),
        "quartile": found.get("quartile"),
        "dfe_measure": m.measure,
        "geography_code": code,
        "geography_name": name,
        "publication": m.publication,
        "detail": found.get("detail", ""),
    }


def compare(
    figures: pd.DataFrame,
    neighbour_lists: dict[str, dict[int, list[int]]],
    authority: Authority,
    measures: dict[str, DfeMeasure] = MEASURES,
) -> pd.DataFrame:
    """Per indicator with a DfE measure and per DfE year: us_published, neighbours, region,
    england -- the rows of the published `indicator_benchmarks` table."""
    out: list[dict] = []
    la = authority.la_number
    for m in measures.values():
        rows = figures[figures.measure == m.measure]
        if rows.empty:
            continue
        region = _region_code(figures, m.measure, la)
        for year, yr in rows.groupby("year", sort=True):
            by_code = yr.set_index("geography_code")
            las = yr[yr.geography_level == "la"]
            published = las.value.dropna().tolist()

            row = partial(_row, m, int(year), by_code)
            if la in by_code.index:
                value = by_code.value.get(la)
                ranked = m.polarity in (HIGH, LOW) and not pd.isna(value)
                banded = ranked and m.quartiles
                out.append(
                    row(
                        "us_published",
                        la,
                        rank=dfe_rank(value, published, m.polarity) if ranked else None,
                        rank_of=len(published) if ranked else None,
                        quartile=dfe_quartile(value, published, m.polarity) if banded else None,
                    )
                )
            try:
                list_name, sns = neighbours_for(neighbour_lists, la, int(year))
            except KeyError:
                list_name, sns = "", []
            sn_values = [by_code.value.get(c) for c in sns if c in by_code.index]
            sn_values = [v for v in sn_values if not pd.isna(v)]
            detail = f"mean of {len(sn_values)} of {len(sns)} neighbours' published values"
            mean = float(np.mean(sn_values)) if sn_values else None
            out.append(row("neighbours", None, value=mean, detail=f"{detail} ({list_name})"))
            for comparator, code in (("region", region), ("england", ENGLAND_CODE)):
                if code is not None and code in by_code.index:
                    out.append(row(comparator, code))
    frame = pd.DataFrame(out, columns=list(COLUMNS))
    for col in ("rank", "rank_of", "geography_code"):
        frame[col] = frame[col].astype("Int64")
    return frame
