"""The shared building blocks the indicator queries read, created once per load.

Each is a temporary table in the database being built, one rule each:

- `periods`: one row per month end from the start of the data to the extract date. The last
  period is the month containing the extract's as-at date, evaluated AT that date (its
  `period_end` is the as-at date, `is_partial` is true): a series never claims a month end
  that has not happened yet. Windows: `month_start`, `r12_start` (first day of the 12 months
  ending on period_end), `r6_start`, `fy_start` (1 April), `fy_share` (the share of the
  financial year gone by period_end: days since 1 April / days in the year), `ay_start`
  (1 September), `ay_report` (academic year of the latest ended school term).
- `child_hub_spans`: the hub (and worker) holding each child's case, as spans of days
  (`from_date`, `to_date` inclusive): at a period end, the allocation open that day (end date
  inclusive); if two are open, the later-starting one. Look a hub up by a period end only:
  `h.child_id = x.child_id AND p.period_end BETWEEN h.from_date AND h.to_date` finds at most
  one span (children with overlapping allocations have a one-day span per period end).
- `workers_at`: social workers in post at each period end (end date inclusive).
- `lac_episodes`: SSDA903 episodes without V3/V4 short breaks (DfE: not "looked after"), with
  the period of care and placement each belongs to (a new placement: RNE S, P, T, U or B, or
  a gap; RNE L changes legal status only).
- `lac_at`: children looked after at each period end: an episode started on or before it and
  not ceased by it (an episode ceasing ON the period end is not open: DEC is the day the child
  stopped being looked after or moved on).
- `lac_in_month`: children looked after on any day of the month to the period end.
- `cp_at`: child protection plans open at each period end (a plan ending on it has ended).
- `plan_visits`: children on a child protection plan (`plan` 'cp') or a child in need plan
  ('cin') at each period end: `plan_wd`, working days since the start of their oldest open
  plan of that kind, and `visit_wd_ago`, working days from their latest statutory visit on or
  before the period end to it (0 = visited that day; NULL = never visited).
- `care_leavers_19_21`: SSDA903 OC3 care leavers aged 19-21 at 31 March (19th-21st birthday in
  the year), as DfE, with the hub holding them then. Those who died (IN_TOUCH = DIED) or
  returned home to parents for 6+ months (RHOM) are left out, as DfE leaves them out of the
  denominators of its care leaver percentages (DfE SSDA903 guide, OC3 IN_TOUCH codes; Children
  looked after in England including adoptions, care leavers methodology).
- `school_age_lac`: children looked after at the period end aged 4-15 on the 31 August before
  the academic year (Reception to Year 11).
- `attendance_terms`: termly attendance rows of each period's reporting academic year whose
  term has ended by the period end (autumn 31 Dec, spring 31 Mar, summer 31 Jul).
- `period_population`: the 0-17 population used for rates at each period end: DfE uses, at 31
  March of year Y, the mid-year estimate of Y-1, i.e. the latest estimate whose 30 June is at
  least 9 months before the period end (the earliest estimate if none is that old).
"""

from __future__ import annotations

from datetime import date

import duckdb

PERIODS = """
CREATE OR REPLACE TEMP TABLE periods AS
WITH months AS (
    SELECT month_start::DATE AS month_start
    FROM generate_series(DATE '{start}', DATE '{last}', INTERVAL 1 MONTH) g(month_start)
), ends AS (
    SELECT month_start, least(last_day(month_start), DATE '{as_at}') AS period_end
    FROM months
)
SELECT
    period_end,
    month_start,
    period_end < last_day(month_start) AS is_partial,
    (period_end - INTERVAL 12 MONTH + INTERVAL 1 DAY)::DATE AS r12_start,
    (period_end - INTERVAL 6 MONTH + INTERVAL 1 DAY)::DATE AS r6_start,
    make_date(CASE WHEN month(period_end) >= 4 THEN year(period_end)
        ELSE year(period_end) - 1 END, 4, 1) AS fy_start,
    ((period_end - fy_start) + 1)
        / ((fy_start + INTERVAL 1 YEAR)::DATE - fy_start)::DOUBLE AS fy_share,
    make_date(CASE WHEN month(period_end) >= 9 THEN year(period_end)
        ELSE year(period_end) - 1 END, 9, 1) AS ay_start,
    CASE WHEN month(period_end) = 12 AND day(period_end) = 31 THEN year(period_end)
        ELSE year(period_end) - 1 END AS ay_report
FROM ends
ORDER BY period_end
"""

BUILDING_BLOCKS = (
    # Spans, not a row per child and month: at England size (--scale 420) that would be 94
    # million rows, and every query looking a hub up would hash them. The usual case -- a
    # child's allocations do not overlap -- is the allocations themselves. Only children with
    # two allocations open on the same day are resolved month by month (the later-starting one
    # wins; on the same start, the first hub_id), each month end a one-day span.
    """
CREATE OR REPLACE TEMP TABLE child_hub_spans AS
WITH overlapping AS (
    SELECT DISTINCT a.child_id
    FROM allocations a
    JOIN allocations b ON b.child_id = a.child_id AND b.rowid <> a.rowid
        AND b.start_date <= coalesce(a.end_date, DATE '9999-12-31')
        AND a.start_date <= coalesce(b.end_date, DATE '9999-12-31')
), resolved AS (  -- the least (days from start to 9999, hub_id): latest start, first hub
    SELECT p.period_end, s.child_id,
        arg_min({'hub_id': s.hub_id, 'worker_id': s.worker_id},
            (DATE '9999-12-31' - s.start_date, s.hub_id)) AS w
    FROM periods p
    JOIN (SELECT * FROM allocations SEMI JOIN overlapping USING (child_id)) s
        ON s.start_date <= p.period_end
        AND (s.end_date IS NULL OR s.end_date >= p.period_end)
    GROUP BY p.period_end, s.child_id
)
SELECT a.child_id, a.hub_id, a.worker_id, a.start_date AS from_date,
    coalesce(a.end_date, DATE '9999-12-31') AS to_date
FROM allocations a
ANTI JOIN overlapping o USING (child_id)
UNION ALL
SELECT child_id, w.hub_id, w.worker_id, period_end, period_end
FROM resolved
""",
    """
CREATE OR REPLACE TEMP TABLE workers_at AS
SELECT p.period_end, w.worker_id, w.hub_id, w.fte, w.contract
FROM periods p
JOIN social_workers w ON w.start_date <= p.period_end
    AND (w.end_date IS NULL OR w.end_date >= p.period_end)
""",
    # Periods of care: a new one starts with RNE = S or after a gap. A new placement starts
    # with a new period of care or RNE P, T, U or B; only L is a legal-status change alone.
    # DfE SSDA903 guide (RNE codes): P/T = change of placement; U/B = change of legal status
    # AND placement at the same time; DfE validation rules 435 (P/T: placement changed, legal
    # status not) and 436 (U/B: both changed), csc-validator-be-903
    # lac_validator/rules/lac2022_23/rule_435.py and rule_436.py.
    """
CREATE OR REPLACE TEMP TABLE lac_episodes AS
WITH e AS (
    SELECT child AS child_id, decom, dec, rne, ls, place, place_provider, home_post, pl_post,
        lag(dec) OVER (PARTITION BY child ORDER BY decom) AS prev_dec
    FROM s903_episodes
    WHERE ls NOT IN ('V3', 'V4')
), f AS (
    SELECT *,
        (rne = 'S' OR prev_dec IS NULL OR prev_dec <> decom) AS new_poc,
        (rne IN ('S', 'P', 'T', 'U', 'B') OR prev_dec IS NULL OR prev_dec <> decom)
            AS new_placement
    FROM e
), g AS (
    SELECT *,
        sum(new_poc::INT) OVER w AS poc_no,
        sum(new_placement::INT) OVER w AS placement_no
    FROM f
    WINDOW w AS (PARTITION BY child_id ORDER BY decom ROWS UNBOUNDED PRECEDING)
), placements AS (
    SELECT child_id, poc_no, placement_no, min(decom) AS placement_start
    FROM g GROUP BY ALL
), placements2 AS (
    SELECT *, lag(placement_start) OVER (
        PARTITION BY child_id, poc_no ORDER BY placement_no) AS prev_placement_start
    FROM placements
)
SELECT g.child_id, g.decom, g.dec, g.rne, g.ls, g.place, g.place_provider, g.home_post,
    g.pl_post, g.poc_no, g.placement_no,
    min(g.decom) OVER (PARTITION BY g.child_id, g.poc_no) AS poc_start,
    p.placement_start, p.prev_placement_start, h.dob
FROM g
JOIN placements2 p USING (child_id, poc_no, placement_no)
LEFT JOIN (SELECT child, any_value(dob) AS dob FROM s903_header GROUP BY child) h
    ON h.child = g.child_id
""",
    """
CREATE OR REPLACE TEMP TABLE lac_at AS
SELECT p.period_end, e.*
FROM periods p
JOIN lac_episodes e ON e.decom <= p.period_end
    AND (e.dec IS NULL OR e.dec > p.period_end)
""",
    """
CREATE OR REPLACE TEMP TABLE lac_in_month AS
SELECT DISTINCT p.period_end, p.month_start, e.child_id
FROM periods p
JOIN lac_episodes e ON e.decom <= p.period_end
    AND (e.dec IS NULL OR e.dec > p.month_start)
""",
    """
CREATE OR REPLACE TEMP TABLE cp_at AS
SELECT p.period_end, c.child_id, c.start_date
FROM periods p
JOIN cin_cp_plans c ON c.start_date <= p.period_end
    AND (c.end_date IS NULL OR c.end_date > p.period_end)
""",
    """
CREATE OR REPLACE TEMP TABLE plan_visits AS
WITH plans AS (
    SELECT 'cp' AS plan, period_end, child_id, start_date FROM cp_at
    UNION ALL
    SELECT 'cin', p.period_end, c.child_id, c.start_date
    FROM periods p
    JOIN cin_plans c ON c.start_date <= p.period_end
        AND (c.end_date IS NULL OR c.end_date > p.period_end)
), aged AS (
    SELECT a.plan, a.period_end, a.child_id, wp.wd AS wd_end, max(wp.wd - ws.wd) AS plan_wd
    FROM plans a
    JOIN working_days wp ON wp.day = a.period_end
    JOIN working_days ws ON ws.day = a.start_date
    GROUP BY ALL
)
SELECT g.plan, g.period_end, g.child_id, g.plan_wd,
    g.wd_end - (
        SELECT max(wv.wd) FROM visits v
        JOIN working_days wv ON wv.day = v.visit_date
        WHERE v.child_id = g.child_id AND v.visit_date <= g.period_end
    ) AS visit_wd_ago
FROM aged g
""",
    """
CREATE OR REPLACE TEMP TABLE care_leavers_19_21 AS
SELECT p.period_end, h.hub_id, o.*
FROM s903_oc3 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub_spans h ON h.child_id = o.child
    AND p.period_end BETWEEN h.from_date AND h.to_date
WHERE o.dob + INTERVAL 19 YEAR <= p.period_end
  AND o.dob + INTERVAL 22 YEAR > p.period_end
  AND coalesce(o.in_touch, '') NOT IN ('DIED', 'RHOM')
""",
    """
CREATE OR REPLACE TEMP TABLE school_age_lac AS
SELECT l.period_end, l.child_id
FROM lac_at l
JOIN periods p ON p.period_end = l.period_end
WHERE l.dob + INTERVAL 4 YEAR <= p.ay_start - INTERVAL 1 DAY
  AND l.dob + INTERVAL 16 YEAR > p.ay_start - INTERVAL 1 DAY
""",
    """
CREATE OR REPLACE TEMP TABLE attendance_terms AS
SELECT p.period_end, a.*
FROM periods p
JOIN attendance a ON a.academic_year = p.ay_report
    AND CASE a.term
        WHEN 'autumn' THEN make_date(a.academic_year, 12, 31)
        WHEN 'spring' THEN make_date(a.academic_year + 1, 3, 31)
        ELSE make_date(a.academic_year + 1, 7, 31) END <= p.period_end
""",
    """
CREATE OR REPLACE TEMP TABLE period_population AS
SELECT p.period_end,
    coalesce(
        (SELECT arg_max(r.population_0_17, r.year) FROM ref_population r
         WHERE make_date(r.year, 6, 30) + INTERVAL 9 MONTH <= p.period_end),
        (SELECT arg_min(r.population_0_17, r.year) FROM ref_population r)
    ) AS population
FROM periods p
""",
)


def data_start(con: duckdb.DuckDBPyConnection, as_at: date) -> date:
    """First day of the data: the earliest hub opening or allocation (the Trust's own records),
    else 1 April of the earliest statutory collection year in the drop, else the as-at date."""
    found = con.execute(
        "SELECT least((SELECT min(opened) FROM hubs), (SELECT min(start_date) FROM allocations))"
    ).fetchall()[0][0]
    if found is None:
        years = " UNION ALL ".join(
            f"SELECT min(collection_year) AS y FROM {t}"
            for t in ("s903_episodes", "s903_header", "cin_referrals")
        )
        year = con.execute(f"SELECT min(y) FROM ({years})").fetchall()[0][0]
        found = date(int(year) - 1, 4, 1) if year is not None else as_at
    return min(found, as_at)


def create_periods(con: duckdb.DuckDBPyConnection, start: date, as_at: date) -> None:
    first = start.replace(day=1)
    last = as_at.replace(day=1)
    con.execute(PERIODS.format(start=first, last=last, as_at=as_at))


def create_building_blocks(con: duckdb.DuckDBPyConnection) -> None:
    # Temporary tables read only by joins: their row order does not matter, and keeping it
    # costs memory that an England-size Trust (--scale 420) does not have at 1 GB.
    con.execute("SET preserve_insertion_order = false")
    try:
        for sql in BUILDING_BLOCKS:
            con.execute(sql)
    finally:
        con.execute("RESET preserve_insertion_order")
