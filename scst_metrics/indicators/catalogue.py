"""The indicator catalogue: every fact about an indicator, declared once, in the board's words.

Pages, overview tiles, charts, exports, the data dictionary (docs/indicators.md) and the tests
all read these declarations -- and the words below (service areas, units, periods, polarity,
the whole-Trust label), so the dictionary and the screen never disagree. The nightly load
stores the catalogue in the published file (table `indicators`); the read API uses that stored
copy, so the names always match the numbers of the same snapshot.

The declarations themselves are data, in catalogue.toml (its header lists the fields); this
module reads and checks them. Each indicator's query is `queries/<id>.sql`; it returns one row
per counted thing (`period_end, hub_id, num, den`) and materialise.py adds them up per hub and
for the whole Trust (from the data, never by averaging hubs), then works out the value from the
unit. A rate per 10,000 children can instead be declared `derived_from` a count: its numerator
is that count's whole-Trust series, its period and sources are the count's, and it has no query
of its own. Adding an indicator: a declaration in catalogue.toml, its query and its test.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..authority import AuthorityFileError, read_authority

QUERIES = Path(__file__).with_name("queries")

# The whole-Trust label: a value with no hub (hub_id NULL) is the whole Trust's.
TRUST = "Whole Trust"

# Service areas, in board order, with their titles (page titles, dictionary headings)
HUBS = "hubs"
LAC = "lac"
FOSTERING = "fostering"
VIRTUAL_SCHOOL = "virtual_school"
SERVICE_AREAS = {
    HUBS: "Hubs: children in need and child protection",
    LAC: "Looked after children and care leavers",
    FOSTERING: "Fostering",
    VIRTUAL_SCHOOL: "Virtual School",
}

# Units: how the value is worked out from numerator and denominator, and how the unit reads
COUNT = "count"  # value = numerator; no denominator
PERCENT = "percent"  # value = 100 * numerator / denominator (no data when denominator is 0)
RATE_10K = "rate_per_10000"  # value = 10,000 * numerator / children aged 0-17 (ONS)
RATIO = "ratio"  # value = numerator / denominator (e.g. cases per FTE)
UNITS = {
    COUNT: "count",
    PERCENT: "%",
    RATE_10K: "rate per 10,000 children",
    RATIO: "per FTE",
}
# The denominator's words where the unit fixes it
NO_DENOMINATOR = "none (a count)"
POPULATION = "children aged 0-17 (ONS mid-year estimate)"

# Polarity: which way is better, and how it reads
HIGHER = "higher_is_better"
LOWER = "lower_is_better"
NEUTRAL = "neutral"  # context only: never RAG-rated
BAND = "within_band"  # best inside a target band (e.g. 40-70 children per hub)
POLARITIES = {
    HIGHER: "higher is better",
    LOWER: "lower is better",
    NEUTRAL: "neutral: context, not rated",
    BAND: "best within the target band",
}

# Periods: what each period_end's value covers, as the dictionary and "What this measures" say
MONTH_END = "month_end_snapshot"
IN_MONTH = "in_the_month"
ROLLING_12M = "rolling_12_months"
FYTD = "financial_year_to_date"
AYTD = "academic_year_to_date"
ANNUAL = "annual_at_31_march"
PERIODS = {
    MONTH_END: "snapshot at each month end",
    IN_MONTH: "during the calendar month to the month end",
    ROLLING_12M: "the 12 months to each month end",
    FYTD: "financial year (from 1 April) to each month end",
    AYTD: "academic year (from 1 September) to each month end",
    ANNUAL: "once a year, at 31 March (statutory return)",
}

# Hub kinds an indicator is shown for (its series also includes any hub that holds a counted
# child, so nothing is lost when a child sits in a hub of another kind)
ALL_HUBS = ("locality", "lac", "leaving_care", "assessment", "disabled_children")
# How a kind of team reads in a sentence ("counted for the LAC hubs and leaving care teams")
HUB_KIND_WORDS = {
    "locality": "the locality hubs",
    "lac": "the LAC hubs",
    "leaving_care": "the leaving care teams",
    "assessment": "the assessment team",
    "disabled_children": "the children with disabilities team",
}

# Where each source table comes from, in the board's words (chart footnotes name these, not
# table names): the statutory returns by their names, the Trust's own CSVs by the system.
SSDA903_RETURN = "SSDA903 return"
CIN_CENSUS = "CIN census"
SOURCE_WORDS = {
    "s903_header": SSDA903_RETURN,
    "s903_episodes": SSDA903_RETURN,
    "s903_reviews": SSDA903_RETURN,
    "s903_uasc": SSDA903_RETURN,
    "s903_oc2": SSDA903_RETURN,
    "s903_oc3": SSDA903_RETURN,
    "s903_missing": SSDA903_RETURN,
    "cin_referrals": CIN_CENSUS,
    "cin_assessments": CIN_CENSUS,
    "cin_initial_conferences": CIN_CENSUS,
    "cin_plans": CIN_CENSUS,
    "cin_cp_plans": CIN_CENSUS,
    "allocations": "case management system: allocations",
    "visits": "case management system: statutory visits",
    "social_workers": "HR records: social workers",
    "fostering_households": "fostering service records: households",
    "fostering_applications": "fostering service records: applications",
    "foster_placements": "fostering service records: placements",
    "peps": "virtual school records: PEPs",
    "attendance": "virtual school records: attendance",
    "suspensions": "virtual school records: suspensions and exclusions",
}
POPULATION_WORDS = "ONS mid-year population estimates"

# Which authority the board serves is a setting (data/authority.toml, scst_metrics/authority.py):
# "{authority}" in a declaration's text is its name, filled in when the catalogue is read, and
# a query's $HOME_LA its ONS code, filled in by materialise.py.
AUTHORITY = "{authority}"


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One indicator, declared with keywords. What follows from other fields is derived:
    the denominator's words for a count or a rate per 10,000, and -- for a rate declared
    `derived_from` a count -- its period and sources."""

    id: str
    title: str
    service_area: str
    definition: str  # plain English, as a board member reads it
    numerator: str
    denominator: str = ""  # "" = follows from the unit (a count has none; a rate: population)
    unit: str
    polarity: str
    period: str = ""  # "" only for a rate derived from a count (the count's period)
    splits_by_hub: bool = False  # False: whole Trust only
    sources: tuple[str, ...] = ()  # source tables (extracts/schema.py) the query needs
    dfe_definition: str = ""  # the DfE measure followed, and any deliberate difference
    hub_kinds: tuple[str, ...] = ALL_HUBS  # the kinds of hub it is shown for, when split
    why: str = ""  # why it is on the board, one line
    why_source: str = ""  # where that comes from (framework, statutory guidance, regulation)
    derived_from: str | None = None  # a rate per 10,000 computed from this count's values
    # The DfE published measure the board sets beside this indicator (its short name in DfE's
    # LAIT long file, as scst_metrics/benchmarks reads it); None = no DfE comparison.
    dfe_measure: str | None = None
    dfe_difference: str = ""  # how ours differs from that DfE measure ("" = it does not)

    def __post_init__(self) -> None:
        if not self.denominator:
            words = {COUNT: NO_DENOMINATOR, RATE_10K: POPULATION}.get(self.unit, "")
            object.__setattr__(self, "denominator", words)

    @property
    def frequency(self) -> str:
        return "annual" if self.period == ANNUAL else "monthly"

    @property
    def target_pro_rata(self) -> bool:
        """A year's target held at each month end to its share of the year so far: a
        financial-year-to-date count (households approved since 1 April)."""
        return self.period == FYTD and self.unit == COUNT

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    @property
    def period_words(self) -> str:
        return PERIODS[self.period]

    @property
    def polarity_words(self) -> str:
        return POLARITIES[self.polarity]

    @property
    def why_text(self) -> str:
        """Why it is on the board, with its source: the dictionary and the screen say this."""
        return f"{self.why} Source: {self.why_source}." if self.why else ""

    @property
    def source_words(self) -> str:
        """Its sources as the board names them, each once: 'SSDA903 return, case management
        system: statutory visits' (a rate per 10,000 adds the population estimates). A table
        without words is an error: declare them in SOURCE_WORDS."""
        words: list[str] = []
        for table in self.sources:
            try:
                w = SOURCE_WORDS[table]
            except KeyError:
                raise KeyError(
                    f"{self.id}: source table {table!r} has no words in SOURCE_WORDS "
                    "(catalogue.py); add how the board names it"
                ) from None
            if w not in words:
                words.append(w)
        if self.unit == RATE_10K:
            words.append(POPULATION_WORDS)
        return ", ".join(words)

    @property
    def sql(self) -> str:
        """The query that counts this indicator (a derived rate: its count's query)."""
        return query_sql(self.derived_from or self.id)


@cache
def query_sql(indicator_id: str) -> str:
    return (QUERIES / f"{indicator_id}.sql").read_text(encoding="utf-8")


def _resolved(declared: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """Fill what a derived rate takes from its count, and check every code is known."""
    seen: dict[str, Indicator] = {}
    for ind in declared:
        if ind.derived_from is not None:
            base = seen.get(ind.derived_from)
            if base is None or base.unit != COUNT or ind.unit != RATE_10K:
                raise ValueError(
                    f"{ind.id}: derived_from must name a count declared before it, "
                    f"and the derived indicator must be a rate per 10,000"
                )
            ind = replace(ind, period=base.period, sources=base.sources)
        for name, known in (
            ("service_area", SERVICE_AREAS),
            ("unit", UNITS),
            ("polarity", POLARITIES),
            ("period", PERIODS),
        ):
            if getattr(ind, name) not in known:
                raise ValueError(f"{ind.id}: unknown {name} {getattr(ind, name)!r}")
        if ind.dfe_difference and ind.dfe_measure is None:
            raise ValueError(f"{ind.id}: a dfe_difference needs the dfe_measure it differs from")
        if ind.id in seen:
            raise ValueError(f"{ind.id} is declared twice")
        seen[ind.id] = ind
    return tuple(seen.values())


DECLARATIONS = Path(__file__).with_name("catalogue.toml")


def _value(value: object, authority: str) -> object:
    """A TOML value as an Indicator holds it: a list as a tuple, {authority} filled in."""
    if isinstance(value, list):
        return tuple(value)
    return value.replace(AUTHORITY, authority) if isinstance(value, str) else value


def read_declarations(
    path: Path = DECLARATIONS, authority: str | None = None
) -> tuple[Indicator, ...]:
    """The [[indicator]] declarations of catalogue.toml, in board order (not yet resolved),
    with "{authority}" in their texts read as `authority` (default: the name in
    data/authority.toml)."""
    if authority is None:
        try:
            authority = read_authority().name
        except AuthorityFileError:  # the load refuses it, naming the file (materialise.py)
            authority = ""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("indicator", [])
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None
    declared = []
    for n, entry in enumerate(entries, start=1):
        fields = {k: _value(v, authority or "the authority") for k, v in entry.items()}
        try:
            declared.append(Indicator(**fields))
        except TypeError as exc:  # a missing or unknown field
            where = f"indicator {n} ({entry.get('id', 'no id')})"
            raise ValueError(f"{path}: {where}: {exc}") from None
    return tuple(declared)


_DECLARED: tuple[Indicator, ...] = read_declarations()
INDICATORS: tuple[Indicator, ...] = _resolved(_DECLARED)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get(indicator_id: str) -> Indicator:
    """The declaration of one indicator; a KeyError naming the known ids otherwise."""
    if indicator_id not in BY_ID:
        known = ", ".join(sorted(BY_ID))
        raise KeyError(f"Unknown indicator '{indicator_id}'. Known: {known}")
    return BY_ID[indicator_id]
