"""SPC for every indicator series, computed at load time and stored so pages only read.

`materialise_spc(conn)` reads the published tables `indicators` (the catalogue), `indicator_values`
and `indicator_targets` in the database being built, runs the XmR engine (scst_metrics/spc.py,
NHSRplotthedots' rules, with its default outlier screening) on each series (Trust and each hub)
and writes:

- `indicator_spc`: one row per charted point: indicator_id, hub_id (NULL = whole Trust),
  period_end, value (the value the chart plots: the indicator's own value, or the in-month
  figure derived from a year-to-date one, see `basis`), mean, lpl, upl, nlpl, nupl,
  special_cause, special_cause_type, point_type, rebase_group, part_month;
- `indicator_spc_summary`: one row per series: indicator_id, hub_id, variation, assurance,
  trial_limits, baseline_start, reason_if_none, and basis, latest_period_end (the last
  complete month), latest_point_type, part_month_end, target, band_low, band_high,
  baseline_points, rebase_events.

Rules (issue 10):

- SPC needs points that do not overlap. A rolling-12-month series is never charted with SPC
  (each value shares 11 months with the last; the run rules would fire from the overlap). A
  year-to-date series (financial from 1 April, academic from 1 September) is charted on its
  in-month figure where the stored numbers give it: the whole-Trust value of a year-to-date
  count of dated events (each counted once, on its date) -- the month is the difference of
  consecutive year-to-date values within the year (the year's first month is its own value) --
  and likewise numerator and denominator of a percentage of such events. Which indicators are
  such counts is listed in DERIVABLE_MONTHLY below (from their queries). Hub figures of them
  follow the child's hub at each month end, so a difference is not that hub's month; they, and
  every other year-to-date series, get no SPC and the reason.
- The month in progress is not a month: for in-the-month and year-to-date indicators the point
  at the extract date, when that is not a month end, is left out of the limits and rules and
  flagged `part_month` (it keeps the latest limits, for drawing). A month-end snapshot at the
  extract date is a real snapshot and is charted as a point.
- Baseline: from the start of the series, rebased at every date of data/events.csv that
  applies to the indicator (scope `all`, its service area, or its id) and falls inside the
  series; the latest group is the baseline of the limits shown (`baseline_start`).
- Polarity from the catalogue: higher/lower is better => increase/decrease; neutral and
  within-band => neutral (no improvement or concern). Assurance: the target in force at the
  latest complete month (a derived in-month count of a pro-rata target: the month's share,
  i.e. the difference of the consecutive pro-rata targets; a year's target for a count that is
  not pro-rata says nothing about one month: no assurance); a within-band indicator has band
  assurance (spc.band_assurance: pass when the whole limit range is inside the band).
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .. import spc
from .catalogue import SERVICE_AREAS

EVENTS_CSV = Path(__file__).resolve().parents[2] / "data" / "events.csv"
EVENTS_HEADER = ("date", "scope", "what")

# Catalogue period kinds (catalogue.py) and polarities, as stored in `indicators`
MONTH_END, IN_MONTH, ROLLING_12M = "month_end_snapshot", "in_the_month", "rolling_12_months"
FYTD, AYTD, ANNUAL = "financial_year_to_date", "academic_year_to_date", "annual_at_31_march"
IMPROVEMENT = {
    "higher_is_better": "increase",
    "lower_is_better": "decrease",
    "neutral": "neutral",
    "within_band": "neutral",
}

# Year-to-date indicators whose whole-Trust numerator (and denominator) count dated events,
# each once, on its date: the month's figure is the difference of consecutive year-to-date
# values within the year. (From their queries: queries/<id>.sql.)
DERIVABLE_MONTHLY = {
    "fostering_approvals_fytd": "households approved (approved_date) since 1 April",
    "fostering_deregistrations_fytd": "households deregistered since 1 April",
    "vs_permanent_exclusions": "permanent exclusions starting since 1 September",
    "pep_good": "graded PEP meetings (and the good or outstanding ones) since 1 September",
}

SPC_DDL = """
CREATE OR REPLACE TABLE indicator_spc (
    indicator_id VARCHAR NOT NULL,
    hub_id VARCHAR,
    period_end DATE NOT NULL,
    value DOUBLE,
    mean DOUBLE,
    lpl DOUBLE,
    upl DOUBLE,
    nlpl DOUBLE,
    nupl DOUBLE,
    special_cause BOOLEAN NOT NULL,
    special_cause_type VARCHAR,
    point_type VARCHAR,
    rebase_group INTEGER,
    part_month BOOLEAN NOT NULL
)
"""
SUMMARY_DDL = """
CREATE OR REPLACE TABLE indicator_spc_summary (
    indicator_id VARCHAR NOT NULL,
    hub_id VARCHAR,
    variation VARCHAR,
    assurance VARCHAR,
    trial_limits BOOLEAN,
    baseline_start DATE,
    reason_if_none VARCHAR,
    basis VARCHAR,
    latest_period_end DATE,
    latest_point_type VARCHAR,
    part_month_end DATE,
    target DOUBLE,
    band_low DOUBLE,
    band_high DOUBLE,
    baseline_points INTEGER,
    rebase_events VARCHAR
)
"""


def _columns(ddl: str) -> tuple[str, ...]:
    """The column names of a CREATE TABLE above, in order (one column a line)."""
    return tuple(re.findall(r"^    (\w+) ", ddl, flags=re.MULTILINE))


SPC_COLUMNS = _columns(SPC_DDL)
SUMMARY_COLUMNS = _columns(SUMMARY_DDL)


class EventsError(ValueError):
    """A line of the events file is wrong; the message names the file, line and column."""


@dataclass(frozen=True)
class Event:
    when: date
    scope: str  # "all", a service area, or an indicator id
    what: str
    line: int


def read_events(
    path: Path | None = None,
    *,
    service_areas: set[str] | None = None,
    indicator_ids: set[str] | None = None,
) -> list[Event]:
    """Read data/events.csv (date,scope,what; lines starting with # are comments).

    scope is `all`, a service area (hubs, lac, fostering, virtual_school) or an indicator id;
    given the known ones, an unknown scope is an error. A missing file means no events."""
    path = EVENTS_CSV if path is None else Path(path)
    if not path.exists():
        return []
    known = None
    if service_areas is not None or indicator_ids is not None:
        known = {"all"} | set(service_areas or ()) | set(indicator_ids or ())
    events: list[Event] = []
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = [(n, r) for n, r in enumerate(csv.reader(f), start=1)]
    content = [(n, r) for n, r in rows if r and not r[0].lstrip().startswith("#")]
    if not content:
        return []
    n, header = content[0]
    if tuple(c.strip() for c in header) != EVENTS_HEADER:
        raise EventsError(
            f"{path} line {n}: the header must be {','.join(EVENTS_HEADER)} "
            f"(found {','.join(header)}); fix the first line."
        )
    for n, row in content[1:]:
        if all(not c.strip() for c in row):
            continue
        if len(row) != 3:
            raise EventsError(
                f"{path} line {n}: expected 3 columns (date,scope,what), found {len(row)}; "
                "put quotes round a description that contains a comma."
            )
        when_text, scope, what = (c.strip() for c in row)
        try:
            when = date.fromisoformat(when_text)
        except ValueError:
            raise EventsError(
                f"{path} line {n}, column date: {when_text!r} is not a date; "
                "write it as YYYY-MM-DD, e.g. 2016-08-01."
            ) from None
        if not scope:
            raise EventsError(
                f"{path} line {n}, column scope: empty; write 'all', a service area "
                "or an indicator id."
            )
        if known is not None and scope not in known:
            raise EventsError(
                f"{path} line {n}, column scope: {scope!r} is not 'all', a service area "
                f"({', '.join(sorted(service_areas or ()))}) or an indicator id; "
                "check the spelling (docs/indicators.md lists the ids)."
            )
        if not what:
            raise EventsError(
                f"{path} line {n}, column what: empty; say what changed, "
                "e.g. '18 locality hubs went live'."
            )
        events.append(Event(when, scope, what, n))
    return events


def events_for(events: list[Event], indicator_id: str, service_area: str) -> list[Event]:
    """The events that apply to an indicator: scope `all`, its service area, or its id."""
    return [e for e in events if e.scope in ("all", service_area, indicator_id)]


def materialise_spc(
    conn: duckdb.DuckDBPyConnection,
    *,
    events_csv: Path | None = None,
    as_at: date | None = None,
    log=None,
) -> None:
    """Create `indicator_spc` and `indicator_spc_summary` in the database (write access)."""
    t0 = time.perf_counter()
    catalogue = conn.execute(
        "SELECT id, service_area, unit, polarity, period, target_pro_rata FROM indicators"
    ).df()
    events = read_events(
        events_csv,
        service_areas=set(catalogue["service_area"]) | set(SERVICE_AREAS),
        indicator_ids=set(catalogue["id"]),
    )
    if as_at is None:
        as_at = _as_at(conn)
    values = conn.execute(
        "SELECT indicator_id, hub_id, period_end, numerator, denominator, value "
        "FROM indicator_values ORDER BY indicator_id, hub_id NULLS FIRST, period_end"
    ).df()
    targets = conn.execute(
        "SELECT indicator_id, hub_id, period_end, target, low, high FROM indicator_targets"
    ).df()
    for frame in (values, targets):
        frame["indicator_id"] = frame["indicator_id"].astype(object)
        frame["period_end"] = pd.to_datetime(frame["period_end"])
        frame["hub_id"] = frame["hub_id"].astype(object).where(frame["hub_id"].notna(), None)
    target_at = dict(
        zip(
            zip(targets["indicator_id"], targets["hub_id"], targets["period_end"], strict=True),
            zip(targets["target"], targets["low"], targets["high"], strict=True),
            strict=True,
        )
    )
    points: list[pd.DataFrame] = []
    summaries: list[dict] = []
    by_id = {r["id"]: r for r in catalogue.to_dict("records")}
    trust = "<whole Trust>"  # not a hub id: hub ids are short codes
    keys = values["hub_id"].where(values["hub_id"].notna(), trust)
    for (ind_id, hub), series in values.groupby(["indicator_id", keys], sort=False):
        hub_id = None if hub == trust else hub
        ind = by_id[ind_id]
        applying = events_for(events, ind_id, ind["service_area"])
        frame, summary = _series_spc(ind_id, hub_id, ind, series, applying, as_at, target_at)
        if frame is not None:
            points.append(frame)
        summaries.append(summary)
    seen = {x["indicator_id"] for x in summaries}
    for ind_id in catalogue["id"]:
        if ind_id not in seen:  # not available in this drop (see indicator_availability)
            summaries.append(_none(ind_id, None, "No values in this load: no SPC.")[1])
    spc_frame = pd.DataFrame(
        {c: np.concatenate([p[c] for p in points]) if points else [] for c in SPC_COLUMNS}
    )
    summary_frame = pd.DataFrame(summaries, columns=list(SUMMARY_COLUMNS))
    conn.execute(SPC_DDL)
    conn.execute(SUMMARY_DDL)
    if len(spc_frame):
        conn.register("_spc", spc_frame[list(SPC_COLUMNS)])
        conn.execute("INSERT INTO indicator_spc SELECT * FROM _spc")
        conn.unregister("_spc")
    if len(summary_frame):
        conn.register("_spc_summary", summary_frame)
        conn.execute("INSERT INTO indicator_spc_summary SELECT * FROM _spc_summary")
        conn.unregister("_spc_summary")
    if log:
        log(
            f"  SPC: {len(summary_frame)} series, {len(spc_frame)} points "
            f"({time.perf_counter() - t0:.2f}s)"
        )


def _as_at(conn: duckdb.DuckDBPyConnection) -> date | None:
    """The extract date: load_meta.as_at when there, else the latest period end."""
    found = None
    has_meta = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'load_meta'"
    ).fetchall()[0][0]
    if has_meta:
        found = conn.execute("SELECT max(as_at) FROM load_meta").fetchall()[0][0]
    if found is None:
        found = conn.execute("SELECT max(period_end) FROM indicator_values").fetchall()[0][0]
    return pd.Timestamp(found).date() if found is not None else None


def _is_month_end(d: pd.Timestamp) -> bool:
    return (d + pd.Timedelta(days=1)).day == 1


# Periods whose figure at an extract date inside a month covers only part of that month
CAN_BE_PARTIAL = (IN_MONTH, FYTD, AYTD)


def is_part_month(period: str, period_end: date | pd.Timestamp, as_at: date | None) -> bool:
    """The month in progress: an in-the-month or year-to-date figure at the extract date when
    that is not a month end (a month-end snapshot at the extract date is a real snapshot)."""
    if period not in CAN_BE_PARTIAL or as_at is None or period_end is None:
        return False
    end = pd.Timestamp(period_end)
    return end.date() == as_at and not _is_month_end(end)


def period_label(period_end: date | pd.Timestamp, part_month: bool) -> str:
    """'May 2019' for a month end, '1-12 Jun 2019' for a part month, '12 Jun 2019' for a
    snapshot taken inside a month (the board says which month a figure is)."""
    end = pd.Timestamp(period_end)
    if part_month:
        return f"1-{end.day} {end.strftime('%b %Y')}"
    if _is_month_end(end):
        return end.strftime("%b %Y")
    return f"{end.day} {end.strftime('%b %Y')}"


def _year_start(d: pd.Timestamp, period: str) -> pd.Timestamp:
    first_month = 4 if period == FYTD else 9
    year = d.year if d.month >= first_month else d.year - 1
    return pd.Timestamp(year, first_month, 1)


def _monthly_from_ytd(series: pd.DataFrame, unit: str, period: str) -> pd.DataFrame:
    """The in-month figure behind a year-to-date series of counted events (whole Trust).

    Month = year-to-date value minus the previous month end's within the same year; the
    year's first month is its own year-to-date value; a month whose previous month end is
    not in the series (the start of the data mid-year) cannot be derived and is dropped."""
    s = series.sort_values("period_end").reset_index(drop=True)
    starts = s["period_end"].map(lambda d: _year_start(d, period))
    prev_end = s["period_end"].shift(1)
    same_year = starts.eq(starts.shift(1))
    first_month = s["period_end"].dt.month.eq(4 if period == FYTD else 9)
    # consecutive month ends: the previous point ends the month before this one's month
    consecutive = prev_end.notna() & (
        (prev_end.dt.year * 12 + prev_end.dt.month + 1)
        == (s["period_end"].dt.year * 12 + s["period_end"].dt.month)
    )
    keep = first_month | (same_year & consecutive)
    num = s["numerator"].astype(float)
    den = s["denominator"].astype(float)
    num_m = np.where(first_month, num, num - num.shift(1))
    den_m = np.where(first_month, den, den - den.shift(1))
    if unit == "count":
        value = num_m
    else:
        scale = 100.0 if unit == "percent" else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den_m > 0, scale * num_m / den_m, np.nan)
    out = s.assign(numerator=num_m, denominator=den_m, value=value, first_month=first_month)
    return out[keep.to_numpy()].reset_index(drop=True)


def _none(ind_id, hub_id, reason, basis="none") -> tuple[None, dict]:
    return None, {
        "indicator_id": ind_id,
        "hub_id": hub_id,
        "reason_if_none": reason,
        "basis": basis,
        "trial_limits": None,
    }


def _series_spc(ind_id, hub_id, ind, series, events, as_at, target_at):
    period, unit, polarity = ind["period"], ind["unit"], ind["polarity"]
    improvement = IMPROVEMENT[polarity]
    basis = "value"
    if period == ROLLING_12M:
        return _none(
            ind_id,
            hub_id,
            "A rolling 12-month figure: each month shares 11 months with the one before, so "
            "the SPC run rules would fire from the overlap alone. No SPC on this series.",
        )
    if period in (FYTD, AYTD):
        year = "financial" if period == FYTD else "academic"
        if ind_id not in DERIVABLE_MONTHLY:
            return _none(
                ind_id,
                hub_id,
                f"A {year} year-to-date figure: each month includes the months before it, and the "
                "month's own figure cannot be taken from the stored values. No SPC.",
            )
        if hub_id is not None:
            return _none(
                ind_id,
                hub_id,
                f"A {year} year-to-date figure; a hub's figures follow each child's hub at every "
                "month end, so the month's own figure cannot be taken from them (the whole "
                "Trust's in-month figure has SPC). No SPC.",
            )
        series = _monthly_from_ytd(series, unit, period)
        basis = "in_month_from_year_to_date"
    series = series.sort_values("period_end").reset_index(drop=True)
    ends = series["period_end"]
    part = np.zeros(len(series), dtype=bool)
    if len(series):
        part[-1] = is_part_month(period, ends.iloc[-1], as_at)
    whole = series[~part]
    y = pd.Series(
        whole["value"].astype(float).to_numpy(), index=pd.DatetimeIndex(whole["period_end"])
    )
    if y.notna().sum() < 2:
        return _none(ind_id, hub_id, "Fewer than 2 complete periods with a value: no SPC.", basis)
    first, last = y.index[0], y.index[-1]
    rebase = sorted({pd.Timestamp(e.when) for e in events if first < pd.Timestamp(e.when) <= last})
    used = [e for e in events if first < pd.Timestamp(e.when) <= last]
    target, low, high = _target(ind_id, hub_id, ind, whole, basis, target_at)
    result = spc.xmr(
        y,
        improvement=improvement,
        target=target if polarity != "within_band" else None,
        screen_outliers=True,
        rebase_at=rebase,
    )
    assurance = result.assurance
    if polarity == "within_band":
        assurance = spc.band_assurance(result, low, high)
    p = result.points
    m = len(p)
    frame = {
        "indicator_id": np.full(m, ind_id, dtype=object),
        "hub_id": np.full(m, hub_id, dtype=object),
        "period_end": p.index.to_numpy(),
        "value": p["y"].to_numpy(),
        **{c: p[c].to_numpy() for c in ("mean", "lpl", "upl", "nlpl", "nupl")},
        "special_cause": p["special_cause"].to_numpy(),
        "special_cause_type": p["special_cause_type"].to_numpy(dtype=object),
        "point_type": p["point_type"].to_numpy(dtype=object),
        "rebase_group": p["rebase_group"].to_numpy(),
        "part_month": np.zeros(m, dtype=bool),
    }
    part_end = None
    if part.any():
        row = series[part].iloc[0]
        part_end = row["period_end"].date()
        extra = {c: frame[c][-1:] for c in frame}
        extra.update(
            period_end=np.array([row["period_end"].to_datetime64()]),
            value=np.array([row["value"]], dtype=float),
            special_cause=np.array([False]),
            special_cause_type=np.array([None], dtype=object),
            point_type=np.array([None], dtype=object),
            part_month=np.array([True]),
        )
        frame = {c: np.concatenate([frame[c], extra[c]]) for c in frame}
    latest = p["point_type"].dropna()
    summary = {
        "indicator_id": ind_id,
        "hub_id": hub_id,
        "variation": result.variation,
        "assurance": assurance,
        "trial_limits": result.trial_limits,
        "baseline_start": pd.Timestamp(result.baseline_start).date(),
        "reason_if_none": None,
        "basis": basis,
        "latest_period_end": latest.index[-1].date() if len(latest) else None,
        "latest_point_type": latest.iloc[-1] if len(latest) else None,
        "part_month_end": part_end,
        "target": target,
        "band_low": low,
        "band_high": high,
        "baseline_points": int((p["rebase_group"] == p["rebase_group"].iloc[-1]).sum()),
        "rebase_events": "; ".join(f"{e.when.isoformat()} {e.what}" for e in used) or None,
    }
    return frame, summary


def _target(ind_id, hub_id, ind, whole: pd.DataFrame, basis: str, target_at: dict):
    """(target, band low, band high) in force at the latest complete period."""
    if whole.empty:
        return None, None, None
    last = whole["period_end"].iloc[-1]
    target, low, high = (_num(v) for v in target_at.get((ind_id, hub_id, last), (None,) * 3))
    if basis != "value" and ind["unit"] == "count":
        # A year's count target says nothing about one month, unless it is held pro rata:
        # then the month's share is this month's pro-rata target less last month's.
        if not ind["target_pro_rata"] or target is None:
            return None, None, None
        if not whole["first_month"].iloc[-1]:
            prev = last.replace(day=1) - pd.Timedelta(days=1)  # the month end before
            before = _num(target_at.get((ind_id, hub_id, prev), (None,) * 3)[0])
            if before is None:
                return None, None, None
            target = target - before
    return target, low, high


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)
