"""The shape of the demo Trust and its calibration targets.

Every yearly target below is the figure DfE published for Slough (LA 871) in its official
statistics, as its Local Authority Interactive Tool (LAIT) gives them (Open Government Licence;
https://www.gov.uk/government/publications/local-authority-interactive-tool-lait). They are
typed in here as the handful of facts the simulation steers by, not copied from data files.
Keys are collection years: the year whose 31 March ends the collection (2020 = 1 April 2019 -
31 March 2020). Years after the last published one hold the last published value (the demo has
to go on running after DfE stops publishing).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

import holidays
import numpy as np

TAKEOVER = dt.date(2015, 10, 1)  # the Trust took over Slough's children's services
HUBS_LIVE = dt.date(2016, 8, 1)  # the 18 locality hubs replaced the legacy teams
LEGACY_CLOSED = dt.date(2016, 7, 31)
NEW_VSH = dt.date(2016, 6, 1)  # new Virtual School head: PEPs start being held
FIRST_YEAR = 2016  # first collection year written (1 Apr 2015 - 31 Mar 2016)
LA_CODE = "871"  # Slough's DfE LA number (UPNs, CIN census LEA)
SLOUGH_LAUA = "E06000039"

# Date lookups run over this window: DOBs of the oldest care leavers to past any as-of date.
ORD0 = dt.date(1985, 1, 1).toordinal()
ORD1 = dt.date(2045, 12, 31).toordinal()


# --- Published Slough figures (DfE, via LAIT) ---------------------------------------------
# Children looked after at 31 March (number). Drives the LAC stock controller.
LAC_AT_31_MARCH = {
    2016: 179,
    2017: 190,
    2018: 206,
    2019: 212,
    2020: 195,
    2021: 222,
    2022: 234,
    2023: 252,
    2024: 201,
    2025: 173,
}
# Child protection plans at 31 March (number).
CPP_AT_31_MARCH = {
    2016: 230,
    2017: 153,
    2018: 161,
    2019: 218,
    2020: 301,
    2021: 301,
    2022: 288,
    2023: 258,
    2024: 195,
    2025: 161,
}
# Children in need at 31 March = CIN rate per 10,000 x the 0-17 population (published counts
# are rate x population; see POPULATION below). Drives the open-case controller.
CIN_RATE_31_MARCH = {
    2016: 392.1,
    2017: 290.6,
    2018: 287.9,
    2019: 331.9,
    2020: 365.5,
    2021: 372.2,
    2022: 398.3,
    2023: 373.4,
    2024: 379.8,
    2025: 295.4,
}
# Referrals in the year (number). 2016/17's 5,688 is what Slough published (its front door
# counted many contacts as referrals that year); the demo keeps it and lets most of the extra
# referrals end with no further action, which is what that count implies.
REFERRALS_IN_YEAR = {
    2016: 2774,
    2017: 5688,
    2018: 1591,
    2019: 1985,
    2020: 2540,
    2021: 3375,
    2022: 3203,
    2023: 3417,
    2024: 3361,
    2025: 3167,
}
# Re-referrals within 12 months, % of referrals.
RE_REFERRAL_PCT = {
    2016: 18.8,
    2017: 29.3,
    2018: 24.5,
    2019: 14.8,
    2020: 16.9,
    2021: 17.3,
    2022: 21.5,
    2023: 20.2,
    2024: 22.9,
    2025: 20.7,
}
# Assessments completed within 45 working days, %.
ASSESS_45WD_PCT = {
    2016: 92.9,
    2017: 85.8,
    2018: 58.1,
    2019: 79.7,
    2020: 74.6,
    2021: 81.4,
    2022: 82.4,
    2023: 86.4,
    2024: 86.0,
    2025: 87.4,
}
# CP plans starting in the year that were second or subsequent plans, %.
SECOND_CPP_PCT = {
    2016: 16.8,
    2017: 22.6,
    2018: 23.3,
    2019: 20.5,
    2020: 18.3,
    2021: 13.6,
    2022: 20.7,
    2023: 18.0,
    2024: 19.7,
    2025: 21.0,
}
# Care leavers aged 19-21 in education, employment or training, %.
CARE_LEAVER_EET_PCT = {
    2016: 43,
    2017: 30,
    2018: 38,
    2019: 59,
    2020: 63,
    2021: 49,
    2022: 52,
    2023: 49,
    2024: 44,
    2025: 54,
}
# Care leavers aged 19-21 in suitable accommodation, %.
CARE_LEAVER_ACCOM_PCT = {
    2016: 70,
    2017: 69,
    2018: 68,
    2019: 79,
    2020: 80,
    2021: 80,
    2022: 78,
    2023: 85,
    2024: 89,
    2025: 94,
}
# Initial child protection conferences held within 15 working days of the section 47 start, %
# (conferences in the year). Slough's timeliness swung widely (40% in 2019/20).
ICPC_15WD_PCT = {
    2016: 81.5,
    2017: 81.7,
    2018: 75.5,
    2019: 68.8,
    2020: 40.2,
    2021: 65.3,
    2022: 73.8,
    2023: 51.1,
    2024: 83.1,
    2025: 87.4,
}
# Unaccompanied asylum-seeking children looked after at 31 March (number). DfE suppressed
# Slough's 2019 and 2020 figures (fewer than 6 or secondary suppression); the demo takes 9 in
# those years, between the published neighbours. Up from 2022 with the National Transfer Scheme.
UASC_AT_31_MARCH = {
    2016: 12,
    2017: 14,
    2018: 8,
    2019: 9,
    2020: 9,
    2021: 10,
    2022: 28,
    2023: 39,
    2024: 26,
    2025: 27,
}
# Children looked after at 31 March with three or more placements during the year, %.
PLACEMENTS_3PLUS_PCT = {
    2016: 14,
    2017: 12,
    2018: 17,
    2019: 11,
    2020: 17,
    2021: 13,
    2022: 8,
    2023: 12,
    2024: 13,
    2025: 13,
}
# Long-term stability: of the children under 16 at 31 March looked after for 2.5 years or more,
# the share in the same placement for 2+ years or placed for adoption, %. DfE publishes it for
# Slough from 2018; the demo holds 2018's figure before.
LONG_TERM_STABILITY_PCT = {
    2018: 70,
    2019: 65,
    2020: 75,
    2021: 85,
    2022: 68,
    2023: 58,
    2024: 67,
    2025: 74,
}
# Child protection plans ending in the year that had lasted 2 years or more, %. DfE publishes
# it for Slough from 2020 (2016-2019 not published); the demo holds 2020's figure before.
CP_ENDED_2YRS_PCT = {
    2020: 5.1,
    2021: 3.5,
    2022: 3.7,
    2023: 2.4,
    2024: 3.4,
    2025: 5.4,
}
# Children looked after at 31 March placed more than 20 miles from home, % (all children
# looked after at 31 March; distance not known counts in the total).
PLACED_20MILES_PCT = {
    2016: 27,
    2017: 29,
    2018: 25,
    2019: 28,
    2020: 33,
    2021: 31,
    2022: 30,
    2023: 25,
    2024: 27,
    2025: 29,
}
# Children looked after persistently absent from school (10%+ of possible sessions missed), %,
# by the year of the 31 July ending the academic year (2025 = 2024/25). DfE suppressed Slough's
# 2019 figure and published none for 2019/20 (schools closed); the demo does not steer those.
VS_PERSISTENT_ABSENCE_PCT = {
    2017: 8.8,
    2018: 11.6,
    2021: 22.1,
    2022: 13.4,
    2023: 19.7,
    2024: 25.6,
    2025: 15.4,
}
# Children's social workers: agency rate % at 30 September of the key's year (DfE's workforce
# census). LAIT files the 30 September 2025 figure, published February 2026, under 2025: its
# dictionary says "Annual (end of Sept)", last updated March 2026, and it holds no 2026; the
# load's reconciliation reads them so too (scst_metrics/benchmarks/measures.py). The census
# falls in the collection year after the key (September 2025 in 2025-26): census_year().
SW_AGENCY_PCT = {
    2016: 52.1,
    2017: 31.9,
    2018: 33.8,
    2019: 32.7,
    2020: 46.3,
    2021: 40.9,
    2022: 38.5,
    2023: 25.3,
    2024: 22.9,
    2025: 20.0,
}
# Average caseload per case-holding social worker (FTE), same dating as the agency rate.
SW_CASELOAD = {
    2016: 14.4,
    2017: 14.4,
    2018: 13.0,
    2019: 17.5,
    2020: 20.1,
    2021: 18.1,
    2022: 18.7,
    2023: 17.6,
    2024: 15.4,
    2025: 16.7,
}

# Slough's 0-17 population implied by DfE counts and rates: about 40.8k (2016) to 46.7k (2025)
# (benchmarks README). The loader's reference data hold the real series; the demo only needs it
# to turn published rates into counts.
POP_2016 = 40_800
POP_2025 = 46_700


def population(year: int) -> float:
    """Slough 0-17 population for a collection year (linear between the published ends)."""
    return POP_2016 + (POP_2025 - POP_2016) * (year - 2016) / 9


def yearly(table: dict[int, float], year: int) -> float:
    """A yearly target, holding the nearest published year outside the published range."""
    years = sorted(table)
    return float(table[min(max(year, years[0]), years[-1])])


def census_year(collection: int) -> int:
    """The workforce census (30 September) inside a collection year: 2026 -> September 2025,
    filed by DfE/LAIT under 2025 (SW_AGENCY_PCT, SW_CASELOAD)."""
    return collection - 1


def collection_year(day: dt.date) -> int:
    """The collection year a date falls in (2016 = 1 Apr 2015 - 31 Mar 2016)."""
    return day.year + 1 if day.month >= 4 else day.year


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


class Curve:
    """A piecewise-linear target through (date, value) anchors, flat outside them."""

    def __init__(self, anchors: list[tuple[dt.date, float]]):
        anchors = sorted(anchors)
        self.x = [a[0].toordinal() for a in anchors]
        self.y = [float(a[1]) for a in anchors]

    def __call__(self, ordinal: int) -> float:
        i = bisect_right(self.x, ordinal)
        if i == 0:
            return self.y[0]
        if i >= len(self.x):
            return self.y[-1]
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        return y0 + (y1 - y0) * (ordinal - x0) / (x1 - x0)


def _march(year: int) -> dt.date:
    return dt.date(year, 3, 31)


def lac_curve(scale: float) -> Curve:
    # At takeover Slough had about as many children looked after as at 31 March 2016 (179).
    pts = [(TAKEOVER, 179.0)] + [(_march(y), v) for y, v in LAC_AT_31_MARCH.items()]
    return Curve([(d, v * scale) for d, v in pts])


def cpp_curve(scale: float) -> Curve:
    # Oct 2015: a little above March 2016's 230, in line with the falling open caseload.
    pts = [(TAKEOVER, 250.0)] + [(_march(y), v) for y, v in CPP_AT_31_MARCH.items()]
    return Curve([(d, v * scale) for d, v in pts])


# Care leavers the Trust holds (leaving care teams): about 150 throughout. The Trust's own
# "open cases" figures (1,830 in Oct 2015, 1,440 in Oct 2016) count children in need plus
# care leavers, so the children-in-need target is those figures less the care leavers. That
# is also what the published CIN rate gives at 31 March 2016 (392.1 x 40.8k = 1,600).
CARE_LEAVERS_HELD = 150
OPEN_CASES_OCT_2015 = 1830
OPEN_CASES_OCT_2016 = 1440


def uasc_curve(scale: float) -> Curve:
    pts = [(TAKEOVER, 12.0)] + [(_march(y), v) for y, v in UASC_AT_31_MARCH.items()]
    return Curve([(d, v * scale) for d, v in pts])


def cin_curve(scale: float) -> Curve:
    pts = [
        (TAKEOVER, OPEN_CASES_OCT_2015 - CARE_LEAVERS_HELD),
        (dt.date(2016, 10, 1), OPEN_CASES_OCT_2016 - CARE_LEAVERS_HELD),
    ]
    for y, rate in CIN_RATE_31_MARCH.items():
        pts.append((_march(y), rate * population(y) / 10_000))
    return Curve([(d, v * scale) for d, v in pts])


# --- Hubs -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Hub:
    hub_id: str
    name: str
    kind: str
    opened: dt.date
    closed: dt.date | None = None


# Slough wards give the locality hubs their names (18 hubs live from 1 August 2016).
WARDS = (
    "Britwell",
    "Chalvey",
    "Cippenham Green",
    "Cippenham Meadows",
    "Colnbrook with Poyle",
    "Farnham",
    "Foxborough",
    "Haymill",
    "Kedermister",
    "Langley St Mary's",
    "Upton",
    "Wexham Lea",
    "Elliman",
    "Baylis and Stoke",
    "Central",
    "Manor Park",
    "Stoke",
    "Haymill West",
)
HUBS: tuple[Hub, ...] = tuple(
    Hub(f"H{i + 1:02d}", f"Hub {i + 1} - {w}", "locality", HUBS_LIVE) for i, w in enumerate(WARDS)
) + (
    Hub("LAC1", "Looked After Children Hub 1", "lac", HUBS_LIVE),
    Hub("LAC2", "Looked After Children Hub 2", "lac", HUBS_LIVE),
    Hub("LC1", "Leaving Care Team 1", "leaving_care", HUBS_LIVE),
    Hub("LC2", "Leaving Care Team 2", "leaving_care", HUBS_LIVE),
    Hub("AST", "Assessment Team", "assessment", HUBS_LIVE),
    Hub("DCT", "Children with Disabilities Team", "disabled_children", HUBS_LIVE),
    # Legacy teams inherited at takeover, closed when the hubs went live.
    Hub("T01", "Initial Response Team (legacy)", "assessment", TAKEOVER, LEGACY_CLOSED),
    Hub("T02", "Child in Need Team (legacy)", "locality", TAKEOVER, LEGACY_CLOSED),
    Hub("T03", "Child Protection Team (legacy)", "locality", TAKEOVER, LEGACY_CLOSED),
    Hub("T04", "Looked After Children Team (legacy)", "lac", TAKEOVER, LEGACY_CLOSED),
    Hub("T05", "Leaving Care Team (legacy)", "leaving_care", TAKEOVER, LEGACY_CLOSED),
)
LOCALITY_HUBS = tuple(h.hub_id for h in HUBS if h.kind == "locality" and h.closed is None)


def hub_for(role: str, day: int, child_slot: int) -> str:
    """The hub holding a case of the given role on a day (ordinal)."""
    legacy = day < HUBS_LIVE.toordinal()
    if role == "assess":
        return "T01" if legacy else "AST"
    if role == "cin":
        return "T02" if legacy else LOCALITY_HUBS[child_slot % len(LOCALITY_HUBS)]
    if role == "cp":
        return "T03" if legacy else LOCALITY_HUBS[child_slot % len(LOCALITY_HUBS)]
    if role == "dis":
        return "T02" if legacy else "DCT"
    if role == "lac":
        return "T04" if legacy else ("LAC1", "LAC2")[child_slot % 2]
    if role == "leaver":
        return "T05" if legacy else ("LC1", "LC2")[child_slot % 2]
    raise ValueError(role)


# --- Calendar -------------------------------------------------------------------------
class Calendar:
    """Working days (weekends and England bank holidays excluded) and date formatting."""

    def __init__(self) -> None:
        n = ORD1 - ORD0 + 1
        days = [dt.date.fromordinal(ORD0 + i) for i in range(n)]
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(1985, 2046))
        work = np.array([d.weekday() < 5 and d not in bank for d in days], dtype=bool)
        self.work = work
        self.cum = np.cumsum(work)  # working days up to and including each day
        self.work_ords = np.flatnonzero(work) + ORD0
        self.iso = [d.isoformat() for d in days]
        self.dmy = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in days]

    def add_working_days(self, ordinal: int, n: int) -> int:
        """The date n working days after ordinal (n >= 1)."""
        k = int(self.cum[ordinal - ORD0])  # working days up to and including the start
        return int(self.work_ords[k + n - 1])

    def working_days_between(self, a: int, b: int) -> int:
        """Working days after a up to and including b."""
        return int(self.cum[b - ORD0] - self.cum[a - ORD0])

    def sub_working_days(self, ordinal: int, n: int) -> int:
        """The working day d with exactly n working days after d up to and including ordinal."""
        return int(self.work_ords[int(self.cum[ordinal - ORD0]) - n - 1])

    def next_working_day(self, ordinal: int) -> int:
        while not self.work[ordinal - ORD0]:
            ordinal += 1
        return ordinal

    def s_iso(self, ordinal: int | None) -> str:
        return "" if ordinal is None else self.iso[ordinal - ORD0]

    def s_dmy(self, ordinal: int | None) -> str:
        return "" if ordinal is None else self.dmy[ordinal - ORD0]


def add_years(ordinal: int, years: int) -> int:
    """The anniversary of a date (29 Feb -> 1 Mar)."""
    d = dt.date.fromordinal(ordinal)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:
        return dt.date(d.year + years, 3, 1).toordinal()
