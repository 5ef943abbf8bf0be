"""The indicator catalogue: every fact about an indicator, declared once, in the board's words.

Pages, overview tiles, charts, exports, the data dictionary (docs/indicators.md) and the tests
all read these declarations -- and the words below (service areas, units, periods, polarity,
the whole-Trust label), so the dictionary and the screen never disagree. The nightly load
stores the catalogue in the published file (table `indicators`); the read API uses that stored
copy, so the names always match the numbers of the same snapshot.

Each indicator's query is `queries/<id>.sql`; it returns one row per counted thing
(`period_end, hub_id, num, den`) and materialise.py adds them up per hub and for the whole
Trust (from the data, never by averaging hubs), then works out the value from the unit. A rate
per 10,000 children can instead be declared `derived_from` a count: its numerator is that
count's whole-Trust series, its period and sources are the count's, and it has no query of its
own. Adding an indicator means adding a declaration here, its query and its test.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

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
CASE_HUBS = ("locality", "assessment", "disabled_children")
LAC_HUBS = ("lac", "leaving_care", "disabled_children")
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

# The Trust's local authority (Slough): placements outside it are "outside the borough"
HOME_LA_CODE = "E06000039"


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
    # For the benchmarks work (issue 11): the DfE published measure this indicator is
    # compared with (e.g. its LAIT / explore-education-statistics name); None = no comparison.
    dfe_measure: str | None = None

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
        if ind.id in seen:
            raise ValueError(f"{ind.id} is declared twice")
        seen[ind.id] = ind
    return tuple(seen.values())


EPISODES = ("s903_header", "s903_episodes")

_DECLARED: tuple[Indicator, ...] = (
    # --- Hubs: children in need and child protection --------------------------------------
    Indicator(
        id="hub_allocated",
        title="Children allocated to the hub",
        service_area=HUBS,
        definition="Children whose case is held by the hub at the month end.",
        numerator="children whose case the hub held at the month end",
        unit=COUNT,
        polarity=BAND,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("allocations",),
        dfe_definition=(
            "Local measure (no DfE equivalent). A child whose case moved hub during the month "
            "counts once, in the hub holding it at the month end."
        ),
        why=(
            "A hub outside its band holds more children than its social workers can know well, or"
            " is under-used."
        ),
        why_source=(
            "Trust board band (40-70 per locality hub); Ofsted ILACS framework: manageable "
            "caseloads"
        ),
    ),
    Indicator(
        id="referrals_month",
        title="Referrals in the month",
        service_area=HUBS,
        definition="Referrals to children's social care received during the month.",
        numerator="referrals (CINreferralDate) in the month",
        unit=COUNT,
        polarity=NEUTRAL,
        period=IN_MONTH,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_referrals",),
        dfe_definition=(
            "CIN census referrals (CINdetails). By hub: the hub holding the child's case at the "
            "month end (referrals closed with no further action and never allocated count only in"
            " the Trust total)."
        ),
        why="Demand at the front door: a rise reaches every team within weeks.",
        why_source="DfE Characteristics of children in need",
    ),
    Indicator(
        id="referrals_rate_12m",
        title="Referrals per 10,000 children (12 months)",
        service_area=HUBS,
        definition=(
            "Referrals received in the last 12 months, per 10,000 children living in Slough."
        ),
        numerator="referrals in the 12 months to the month end",
        unit=RATE_10K,
        polarity=NEUTRAL,
        period=ROLLING_12M,
        sources=("cin_referrals",),
        dfe_definition=(
            "DfE 'referrals rate per 10,000 children' (Characteristics of children in need), on a"
            " rolling 12 months rather than the year to 31 March."
        ),
        why="Demand for the size of Slough's child population, comparable with other authorities.",
        why_source="DfE Characteristics of children in need",
    ),
    Indicator(
        id="rereferrals_12m",
        title="Re-referrals within 12 months",
        service_area=HUBS,
        definition=(
            "Of the referrals in the last 12 months, the share that came within 12 months of a "
            "previous referral of the same child."
        ),
        numerator=(
            "referrals in the 12 months to the month end made within 12 months of the child's "
            "previous referral"
        ),
        denominator="referrals in the 12 months to the month end",
        unit=PERCENT,
        polarity=LOWER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_referrals",),
        dfe_definition=(
            "DfE 're-referrals within 12 months of a previous referral' (CIN census). A previous "
            "referral from before the earliest census in the drop cannot be seen."
        ),
        why=(
            "A child referred again within a year suggests earlier help did not last or a case "
            "closed too soon."
        ),
        why_source="DfE Characteristics of children in need; Ofsted ILACS framework",
    ),
    Indicator(
        id="assessments_45wd",
        title="Assessments within 45 working days",
        service_area=HUBS,
        definition=(
            "Of the child and family assessments completed in the last 12 months, the share "
            "authorised within 45 working days of starting."
        ),
        numerator=(
            "assessments authorised in the 12 months whose authorisation date is at most 45 "
            "working days after the start date"
        ),
        denominator="assessments authorised in the 12 months to the month end",
        unit=PERCENT,
        polarity=HIGHER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_assessments",),
        dfe_definition=(
            "DfE 'assessments completed within 45 working days' (CIN census, Working Together). "
            "Working days exclude weekends and England bank holidays; the start date is day 0."
        ),
        why=(
            "Children wait for help until their assessment is done; 45 working days is the "
            "statutory maximum."
        ),
        why_source="Working Together to Safeguard Children 2023 (assessment timescale)",
    ),
    Indicator(
        id="icpc_15wd",
        title="Initial child protection conferences within 15 working days",
        service_area=HUBS,
        definition=(
            "Of the initial child protection conferences held in the last 12 months, the share "
            "held within 15 working days of the start of the section 47 enquiry."
        ),
        numerator="initial conferences at most 15 working days after the section 47 start",
        denominator=(
            "initial conferences in the 12 months to the month end whose section 47 start is known"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_initial_conferences",),
        dfe_definition=(
            "DfE 'ICPCs within 15 working days of the strategy discussion / start of section 47' "
            "(CIN census); the S47 start date is day 0. Conferences whose section 47 start is not"
            " recorded cannot be timed and are left out."
        ),
        why="A child at risk of significant harm needs a protection plan without delay.",
        why_source=(
            "Working Together to Safeguard Children 2023 (initial conference within 15 working "
            "days)"
        ),
    ),
    Indicator(
        id="cp_plans",
        title="Children subject to a child protection plan",
        service_area=HUBS,
        definition="Children subject to a child protection plan at the month end.",
        numerator="children with a plan started on or before the month end and not ended by it",
        unit=COUNT,
        polarity=NEUTRAL,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_cp_plans",),
        dfe_definition=(
            "DfE 'children subject to a CP plan at 31 March', at every month end. A plan ending "
            "on the month end has ended."
        ),
        why="How many children the Trust is protecting from significant harm: demand on the hubs.",
        why_source="DfE Characteristics of children in need",
    ),
    Indicator(
        id="cp_plans_rate",
        title="Child protection plans per 10,000 children",
        service_area=HUBS,
        definition=(
            "Children subject to a child protection plan at the month end, per 10,000 children "
            "living in Slough."
        ),
        numerator="children subject to a CP plan at the month end",
        unit=RATE_10K,
        polarity=NEUTRAL,
        derived_from="cp_plans",
        dfe_definition="DfE 'rate of children subject to a CP plan per 10,000 children'.",
        why=(
            "Child protection for the size of Slough's child population, comparable with other "
            "authorities."
        ),
        why_source="DfE Characteristics of children in need",
    ),
    Indicator(
        id="cp_second_plans_12m",
        title="Second or subsequent child protection plans",
        service_area=HUBS,
        definition=(
            "Of the child protection plans started in the last 12 months, the share that were the"
            " child's second or later plan."
        ),
        numerator="plans started in the 12 months where the child had a plan before (ever)",
        denominator="plans started in the 12 months to the month end",
        unit=PERCENT,
        polarity=LOWER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_cp_plans",),
        dfe_definition=(
            "DfE 'CP plans starting during the year which were a second or subsequent plan'. A "
            "plan counts as subsequent when NumberOfPreviousCPP is 1 or more or an earlier plan "
            "of the child is in the data."
        ),
        why="A second plan suggests the first did not keep the child safe for long.",
        why_source="DfE Characteristics of children in need; Ofsted ILACS framework",
    ),
    Indicator(
        id="cp_ended_2yrs_12m",
        title="Child protection plans lasting 2 years or more",
        service_area=HUBS,
        definition=(
            "Of the child protection plans that ended in the last 12 months, the share that had "
            "lasted 2 years or more."
        ),
        numerator="plans ended in the 12 months that lasted 2 years or more",
        denominator="plans ended in the 12 months to the month end",
        unit=PERCENT,
        polarity=LOWER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_cp_plans",),
        dfe_definition="DfE 'CP plans ceasing during the year which lasted 2 years or more'.",
        why="A plan lasting 2 years or more suggests drift: the child's situation is not changing.",
        why_source="DfE Characteristics of children in need; Ofsted ILACS framework",
    ),
    Indicator(
        id="cp_visits_10wd",
        title="Child protection visits within 10 working days",
        service_area=HUBS,
        definition=(
            "Of the children on a child protection plan at the month end, the share visited in "
            "the last 10 working days."
        ),
        numerator="children with a statutory visit in the 10 working days ending on the month end",
        denominator=(
            "children on a CP plan at the month end whose plan is at least 10 working days old"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_cp_plans", "visits"),
        dfe_definition=(
            "Local standard (the Trust's CP visiting timescale); any recorded statutory visit "
            "counts."
        ),
        why="Seeing a child on a protection plan is how the Trust knows they are safe.",
        why_source=(
            "Working Together to Safeguard Children 2023 (child seen); the Trust's CP visiting "
            "standard"
        ),
    ),
    Indicator(
        id="cin_visits_20wd",
        title="Child in need visits within 20 working days",
        service_area=HUBS,
        definition=(
            "Of the children on a child in need plan at the month end, the share visited in the "
            "last 20 working days."
        ),
        numerator="children with a statutory visit in the 20 working days ending on the month end",
        denominator=(
            "children on a CIN plan at the month end whose plan is at least 20 working days old"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=CASE_HUBS,
        sources=("cin_plans", "visits"),
        dfe_definition="Local standard; any recorded statutory visit counts.",
        why="Seeing a child in need is how the plan stays right for them.",
        why_source="Ofsted ILACS framework (children seen); the Trust's CIN visiting standard",
    ),
    Indicator(
        id="caseload_per_fte",
        title="Average caseload per social worker (FTE)",
        service_area=HUBS,
        definition=(
            "Children's cases allocated to a social worker, per full-time-equivalent social "
            "worker in post, at the month end."
        ),
        numerator=(
            "cases allocated to a named worker at the month end (by the hub holding the case)"
        ),
        denominator="FTE of social workers in post at the month end (by the worker's hub)",
        unit=RATIO,
        polarity=LOWER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=ALL_HUBS,
        sources=("allocations", "social_workers"),
        dfe_definition=(
            "Like DfE's Children's social work workforce 'average caseload' (cases per FTE "
            "case-holding social worker at 30 September), at every month end."
        ),
        why="Manageable caseloads let social workers know their children, and keep them in post.",
        why_source="DfE Children's social work workforce; Ofsted ILACS framework",
    ),
    Indicator(
        id="agency_fte_pct",
        title="Agency social workers",
        service_area=HUBS,
        definition=(
            "Agency social workers as a share of all social workers in post (FTE) at the month end."
        ),
        numerator="FTE of agency social workers in post",
        denominator="FTE of all social workers in post at the month end",
        unit=PERCENT,
        polarity=LOWER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=ALL_HUBS,
        sources=("social_workers",),
        dfe_definition=(
            "DfE Children's social work workforce 'agency workers as % of FTE' (30 September), at"
            " every month end."
        ),
        why="Agency staff turn over more often: children lose the worker who knows them.",
        why_source=(
            "DfE Children's social work workforce; DfE statutory guidance on agency social "
            "workers (2024)"
        ),
    ),
    # --- Looked after children and care leavers -------------------------------------------
    Indicator(
        id="lac_count",
        title="Children looked after",
        service_area=LAC,
        definition=(
            "Children looked after at the month end, not counting children who only have agreed "
            "short breaks."
        ),
        numerator="children with an episode of care open at the month end (legal status not V3/V4)",
        unit=COUNT,
        polarity=NEUTRAL,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES,
        dfe_definition=(
            "DfE 'children looked after at 31 March' (SSDA903), at every month end: V3/V4 "
            "short-break episodes are excluded; an episode ceasing on the month end is not open."
        ),
        why=(
            "How many children the Trust is corporate parent to: demand for placements and social"
            " workers."
        ),
        why_source="DfE Children looked after in England",
    ),
    Indicator(
        id="lac_rate",
        title="Children looked after per 10,000 children",
        service_area=LAC,
        definition="Children looked after at the month end per 10,000 children living in Slough.",
        numerator="children looked after at the month end (excluding V3/V4 short breaks)",
        unit=RATE_10K,
        polarity=NEUTRAL,
        derived_from="lac_count",
        dfe_definition="DfE 'rate of children looked after per 10,000 children aged under 18'.",
        why=(
            "Children in care for the size of Slough's child population, comparable with other "
            "authorities."
        ),
        why_source="DfE Children looked after in England",
    ),
    Indicator(
        id="lac_3plus_placements",
        title="Three or more placements in 12 months",
        service_area=LAC,
        definition=(
            "Of the children looked after at the month end, the share who had three or more "
            "placements in the last 12 months."
        ),
        numerator="children looked after at the month end with 3+ placements in the 12 months",
        denominator="children looked after at the month end (excluding V3/V4 short breaks)",
        unit=PERCENT,
        polarity=LOWER,
        period=ROLLING_12M,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES,
        dfe_definition=(
            "DfE CLA placement stability measure (children looked after at 31 March with three or"
            " more placements during the year). A placement is counted when an episode starts a "
            "period of care or changes placement (RNE S, P or T), plus the placement held at the "
            "start of the 12 months; V3/V4 short breaks are not placements."
        ),
        why=(
            "Every move breaks a child's relationships and schooling; stable homes give better "
            "outcomes."
        ),
        why_source=(
            "DfE Children looked after in England (placement stability); Ofsted ILACS framework"
        ),
    ),
    Indicator(
        id="lac_long_term_stability",
        title="Long-term placement stability",
        service_area=LAC,
        definition=(
            "Of the children under 16 looked after for 2.5 years or more, the share who have been"
            " in the same placement for 2 years or more, or are placed for adoption."
        ),
        numerator=(
            "those whose placement began 2 years or more before the month end (for a child placed"
            " for adoption: the adoptive placement and the one before it together)"
        ),
        denominator=(
            "children under 16 at the month end looked after continuously for 2.5 years or more"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES,
        dfe_definition=(
            "DfE long-term placement stability measure (CLA at 31 March), at every month end."
        ),
        why="Children in care for years need a settled home they can count on.",
        why_source=(
            "DfE Children looked after in England (long-term stability); Ofsted ILACS framework"
        ),
    ),
    Indicator(
        id="lac_placed_20miles",
        title="Placed more than 20 miles from home",
        service_area=LAC,
        definition=(
            "Of the children looked after at the month end, the share placed more than 20 miles "
            "(straight line) from their home postcode."
        ),
        numerator=(
            "children whose placement postcode is more than 20 miles from their home postcode"
        ),
        denominator=(
            "children looked after at the month end whose home and placement postcodes are both "
            "located (ONS)"
        ),
        unit=PERCENT,
        polarity=LOWER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES,
        dfe_definition=(
            "DfE SSDA903 distance measure: straight-line distance between HOME_POST and PL_POST "
            "(ONS postcode centroids). Children with a missing or unknown postcode are left out "
            "of both numerator and denominator."
        ),
        why="Far from home means far from family, school and friends, and harder to visit.",
        why_source=(
            "Children Act 1989 s22C and s22G (placement near home, sufficiency); DfE Children "
            "looked after in England"
        ),
    ),
    Indicator(
        id="lac_placed_outside_borough",
        title="Placed outside the borough",
        service_area=LAC,
        definition=(
            "Of the children looked after at the month end, the share placed outside Slough."
        ),
        numerator="children whose placement postcode is outside Slough (ONS local authority)",
        denominator="children looked after at the month end whose placement postcode is located",
        unit=PERCENT,
        polarity=LOWER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES,
        dfe_definition=(
            "DfE 'placed outside the local authority boundary' (SSDA903), from the ONS local "
            "authority of the placement postcode."
        ),
        why="Placements outside Slough separate children from their community and services.",
        why_source=(
            "Children Act 1989 s22G (sufficiency duty); DfE Children looked after in England"
        ),
    ),
    Indicator(
        id="lac_reviews_on_time",
        title="Looked after reviews on time",
        service_area=LAC,
        definition=(
            "Of the children looked after at the month end, the share whose reviews are up to date."
        ),
        numerator=(
            "children whose latest review in this period of care is within its timescale: second "
            "review within 3 months of the first, later ones within 6 months"
        ),
        denominator=(
            "children looked after at the month end whose first review (20 working days) was due"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("s903_reviews",),
        dfe_definition=(
            "Review timescales of the Care Planning Regulations 2010 (reg. 33): first within 20 "
            "working days, second within 3 months, then every 6 months."
        ),
        why="The review is where a child's care plan is checked; the timescales are statutory.",
        why_source="Care Planning, Placement and Case Review (England) Regulations 2010 (reg. 33)",
    ),
    Indicator(
        id="lac_visits_6weeks",
        title="Looked after visits within 6 weeks",
        service_area=LAC,
        definition=(
            "Of the children looked after for 6 weeks or more at the month end, the share visited"
            " in the last 6 weeks."
        ),
        numerator="children with a statutory visit in the 42 days ending on the month end",
        denominator=(
            "children looked after at the month end whose period of care began 42 days or more ago"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("visits",),
        dfe_definition=(
            "Care Planning Regulations 2010 (reg. 28): visits at least every 6 weeks in the first"
            " year (local standard applied throughout); any recorded statutory visit counts."
        ),
        why="Regular visits are how the social worker knows the placement is right for the child.",
        why_source="Care Planning, Placement and Case Review (England) Regulations 2010 (reg. 28)",
    ),
    Indicator(
        id="lac_health_assessments",
        title="Health assessments up to date",
        service_area=LAC,
        definition=(
            "Of the children looked after for 12 months or more at 31 March, the share whose "
            "health assessment was up to date."
        ),
        numerator="OC2 children with HEALTH_ASSESSMENT = 1 (HEALTH_CHECK is health promotion)",
        denominator="children in the OC2 return (looked after 12 months or more at 31 March)",
        unit=PERCENT,
        polarity=HIGHER,
        period=ANNUAL,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("s903_oc2",),
        dfe_definition="DfE SSDA903 OC2 'health assessments up to date'.",
        why="Children in care often have unmet health needs; an annual assessment is required.",
        why_source=(
            "DfE statutory guidance Promoting the health and well-being of looked-after children "
            "(2015)"
        ),
    ),
    Indicator(
        id="lac_dental_checks",
        title="Dental checks up to date",
        service_area=LAC,
        definition=(
            "Of the children looked after for 12 months or more at 31 March, the share whose "
            "dental check was up to date."
        ),
        numerator="OC2 children with TEETH_CHECK = 1",
        denominator="children in the OC2 return (looked after 12 months or more at 31 March)",
        unit=PERCENT,
        polarity=HIGHER,
        period=ANNUAL,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("s903_oc2",),
        dfe_definition="DfE SSDA903 OC2 'teeth checked by a dentist'.",
        why="Dental health is part of the required health plan and is often neglected before care.",
        why_source=(
            "DfE statutory guidance Promoting the health and well-being of looked-after children "
            "(2015)"
        ),
    ),
    Indicator(
        id="lac_missing_month",
        title="Children looked after who went missing",
        service_area=LAC,
        definition="Children looked after who went missing from their placement during the month.",
        numerator="children with a missing episode (MISSING = M) starting in the month",
        unit=COUNT,
        polarity=LOWER,
        period=IN_MONTH,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("s903_missing",),
        dfe_definition=(
            "DfE SSDA903 Missing table; 'away from placement without authorisation' (A) is not "
            "missing."
        ),
        why="A child missing from care is at risk of harm and exploitation.",
        why_source=(
            "DfE statutory guidance on children who run away or go missing from home or care (2014)"
        ),
    ),
    Indicator(
        id="lac_missing_pct",
        title="Children looked after who went missing, %",
        service_area=LAC,
        definition=(
            "Of the children looked after at any time in the month, the share who went missing."
        ),
        numerator="children looked after in the month with a missing episode starting in the month",
        denominator="children looked after at any time in the month (excluding V3/V4 short breaks)",
        unit=PERCENT,
        polarity=LOWER,
        period=IN_MONTH,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("s903_missing",),
        dfe_definition=(
            "Like DfE 'children who had a missing incident during the year, % of children looked "
            "after during the year', for a month."
        ),
        why="The share missing, comparable over time as the number in care changes.",
        why_source=(
            "DfE statutory guidance on children who run away or go missing from home or care "
            "(2014); DfE Children looked after in England"
        ),
    ),
    Indicator(
        id="care_leavers_in_touch",
        title="Care leavers aged 19-21 in touch",
        service_area=LAC,
        definition="Of the care leavers aged 19 to 21, the share the Trust was in touch with.",
        numerator="OC3 care leavers aged 19-21 with IN_TOUCH = YES",
        denominator="OC3 care leavers aged 19-21 at 31 March",
        unit=PERCENT,
        polarity=HIGHER,
        period=ANNUAL,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("s903_oc3",),
        dfe_definition=(
            "DfE SSDA903 OC3, care leavers whose 19th, 20th or 21st birthday fell in the year "
            "(aged 19-21 at 31 March); % of all of them, as DfE publishes."
        ),
        why="The Trust cannot support a care leaver it has lost touch with.",
        why_source=(
            "Care Leavers (England) Regulations 2010; DfE Children looked after in England (care "
            "leavers)"
        ),
    ),
    Indicator(
        id="care_leavers_eet",
        title="Care leavers aged 19-21 in education, employment or training",
        service_area=LAC,
        definition=(
            "Of the care leavers aged 19 to 21, the share in education, employment or training."
        ),
        numerator="OC3 care leavers aged 19-21 with ACTIV F1, P1, F2, P2, F4, P4, F5 or P5",
        denominator="OC3 care leavers aged 19-21 at 31 March",
        unit=PERCENT,
        polarity=HIGHER,
        period=ANNUAL,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("s903_oc3",),
        dfe_definition="DfE SSDA903 OC3 'in education, employment or training'.",
        why="Education, work or training is the route to independence for care leavers.",
        why_source="DfE Keep on Caring (2016); DfE Children looked after in England (care leavers)",
    ),
    Indicator(
        id="care_leavers_accommodation",
        title="Care leavers aged 19-21 in suitable accommodation",
        service_area=LAC,
        definition="Of the care leavers aged 19 to 21, the share in suitable accommodation.",
        numerator="OC3 care leavers aged 19-21 whose ACCOM code ends in 1 (suitable)",
        denominator="OC3 care leavers aged 19-21 at 31 March",
        unit=PERCENT,
        polarity=HIGHER,
        period=ANNUAL,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("s903_oc3",),
        dfe_definition="DfE SSDA903 OC3 'in suitable accommodation'.",
        why="A safe, suitable home is the foundation for a care leaver's adult life.",
        why_source=(
            "Care Leavers (England) Regulations 2010; DfE Children looked after in England (care "
            "leavers)"
        ),
    ),
    Indicator(
        id="lac_uasc",
        title="Unaccompanied asylum-seeking children looked after",
        service_area=LAC,
        definition="Unaccompanied asylum-seeking children looked after at the month end.",
        numerator=(
            "children looked after at the month end who are in the UASC table and had not ceased "
            "to be UASC by then"
        ),
        unit=COUNT,
        polarity=NEUTRAL,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("s903_uasc",),
        dfe_definition=(
            "DfE 'unaccompanied asylum-seeking children looked after' (SSDA903 UASC table, DUC = "
            "date ceased to be UASC)."
        ),
        why=(
            "Unaccompanied children need specialist placements and support; the number moves with"
            " the national transfer scheme."
        ),
        why_source=(
            "Home Office and DfE National Transfer Scheme protocol; DfE Children looked after in "
            "England"
        ),
    ),
    # --- Fostering (Trust-wide) -------------------------------------------------------------
    Indicator(
        id="fostering_households",
        title="Approved in-house fostering households",
        service_area=FOSTERING,
        definition="The Trust's own approved fostering households at the month end.",
        numerator="households approved on or before the month end and not deregistered by it",
        unit=COUNT,
        polarity=HIGHER,
        period=MONTH_END,
        sources=("fostering_households",),
        dfe_definition=(
            "Like Ofsted 'Fostering in England' households at 31 March (all kinds of household)."
        ),
        why="In-house carers are the Trust's own capacity to place children locally.",
        why_source="Children Act 1989 s22G (sufficiency duty); Ofsted Fostering in England",
    ),
    Indicator(
        id="fostering_approvals_fytd",
        title="New fostering households approved this financial year",
        service_area=FOSTERING,
        definition=(
            "Mainstream and short-break fostering households approved since 1 April: the "
            "fostering service's recruitment. Connected-person (family and friends) carers, "
            "approved for a named child, are not counted."
        ),
        numerator=(
            "mainstream or short-break households with an approval date from 1 April to the month"
            " end"
        ),
        unit=COUNT,
        polarity=HIGHER,
        period=FYTD,
        sources=("fostering_households",),
        dfe_definition=(
            "Like Ofsted 'Fostering in England' mainstream households approved in the year "
            "(Ofsted counts family and friends households separately)."
        ),
        why="New carers are how the service grows its capacity.",
        why_source="Children Act 1989 s22G (sufficiency duty); Ofsted Fostering in England",
    ),
    Indicator(
        id="fostering_deregistrations_fytd",
        title="Fostering households deregistered this financial year",
        service_area=FOSTERING,
        definition=(
            "Mainstream and short-break fostering households deregistered since 1 April: carers "
            "the service has lost. Connected-person approvals, which end with the named child's "
            "placement, are not counted."
        ),
        numerator=(
            "mainstream or short-break households with a deregistration date from 1 April to the "
            "month end"
        ),
        unit=COUNT,
        polarity=LOWER,
        period=FYTD,
        sources=("fostering_households",),
        dfe_definition=(
            "Like Ofsted 'Fostering in England' mainstream households deregistered in the year "
            "(family and friends counted separately)."
        ),
        why="Carers leaving is capacity lost: recruitment must outpace it.",
        why_source="Ofsted Fostering in England",
    ),
    Indicator(
        id="fostering_assessments_in_progress",
        title="Fostering assessments in progress",
        service_area=FOSTERING,
        definition="Formal fostering applications being assessed at the month end.",
        numerator="applications accepted on or before the month end with no decision by it",
        unit=COUNT,
        polarity=NEUTRAL,
        period=MONTH_END,
        sources=("fostering_applications",),
        dfe_definition="Local measure.",
        why="The recruitment pipeline: next months' approvals.",
        why_source="Fostering Services (England) Regulations 2011 (assessment of applicants)",
    ),
    Indicator(
        id="fostering_assessments_8m",
        title="Fostering assessments completed within 8 months",
        service_area=FOSTERING,
        definition=(
            "Of the fostering assessments completed in the last 12 months, the share decided "
            "within 8 months of the application."
        ),
        numerator="assessments decided at most 8 months after the application was accepted",
        denominator=(
            "assessments decided (approved or not approved) in the 12 months to the month end"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=ROLLING_12M,
        sources=("fostering_applications",),
        dfe_definition=(
            "Fostering Services (England) Regulations / national minimum standards expect stage 2"
            " assessments to finish within 8 months; withdrawn applications are not completed "
            "assessments."
        ),
        why="Slow assessments lose applicants to other agencies.",
        why_source=(
            "Fostering Services (England) Regulations 2011; Children Act 1989 guidance vol. 4 "
            "(assessment timescales)"
        ),
    ),
    Indicator(
        id="fostering_inhouse_pct",
        title="Foster children with in-house carers",
        service_area=FOSTERING,
        definition=(
            "Of the children looked after in foster placements at the month end, the share with "
            "the Trust's own carers rather than agencies."
        ),
        numerator=(
            "children in foster placements (PLACE U1-U6) provided by the Trust (PLACE_PROVIDER PR1)"
        ),
        denominator="children looked after at the month end in foster placements (PLACE U1-U6)",
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        sources=EPISODES,
        dfe_definition=(
            "SSDA903 PLACE U1-U6 and PLACE_PROVIDER (PR1 own LA); V3/V4 short breaks excluded."
        ),
        why="In-house carers keep children nearer home and cost less than agency placements.",
        why_source="Children Act 1989 s22G (sufficiency duty); Ofsted Fostering in England",
    ),
    Indicator(
        id="fostering_places_filled",
        title="In-house fostering places filled",
        service_area=FOSTERING,
        definition=(
            "Of the places the Trust's approved households are approved for, the share filled by "
            "a child at the month end."
        ),
        numerator="children placed with an approved in-house household at the month end",
        denominator="places of the households approved at the month end",
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        sources=("fostering_households", "foster_placements"),
        dfe_definition="Like Ofsted 'Fostering in England' places filled at 31 March.",
        why="Empty approved places are capacity the Trust pays for and does not use.",
        why_source="Ofsted Fostering in England",
    ),
    # --- Virtual School ----------------------------------------------------------------------
    Indicator(
        id="pep_in_date",
        title="Personal Education Plans in date",
        service_area=VIRTUAL_SCHOOL,
        definition=(
            "Of the children looked after of school age (Reception to Year 11), the share with a "
            "Personal Education Plan meeting in the last 6 months."
        ),
        numerator="children with a PEP meeting in the 6 months ending on the month end",
        denominator=(
            "children looked after at the month end aged 4-15 on 31 August before the academic year"
        ),
        unit=PERCENT,
        polarity=HIGHER,
        period=MONTH_END,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("peps",),
        dfe_definition=(
            "Statutory guidance 'Promoting the education of looked-after children' (PEP reviewed "
            "each term; we test 6 months, the board's measure). School age by age on 31 August."
        ),
        why="The PEP is the child's education plan; it is statutory and reviewed each term.",
        why_source=(
            "DfE statutory guidance Promoting the education of looked-after and previously "
            "looked-after children (2018)"
        ),
    ),
    Indicator(
        id="pep_good",
        title="Personal Education Plans rated good or better",
        service_area=VIRTUAL_SCHOOL,
        definition=(
            "Of the PEPs graded by the Virtual School this academic year, the share rated good or"
            " outstanding."
        ),
        numerator="PEP meetings since 1 September graded good or outstanding",
        denominator="PEP meetings since 1 September with a grade",
        unit=PERCENT,
        polarity=HIGHER,
        period=AYTD,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("peps",),
        dfe_definition="Local quality assurance measure.",
        why="A PEP in date is not enough: it must be good enough to change the child's education.",
        why_source=(
            "Virtual School quality assurance; DfE statutory guidance Promoting the education of "
            "looked-after children (2018)"
        ),
    ),
    Indicator(
        id="vs_attendance",
        title="School attendance of children looked after",
        service_area=VIRTUAL_SCHOOL,
        definition=(
            "Sessions attended as a share of possible sessions, this academic year (complete "
            "terms)."
        ),
        numerator="possible sessions less authorised and unauthorised absence",
        denominator="possible sessions, for the terms of the academic year that have ended",
        unit=PERCENT,
        polarity=HIGHER,
        period=AYTD,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("attendance",),
        dfe_definition=(
            "DfE absence statistics (sessions). Terms count once ended (autumn 31 December, "
            "spring 31 March, summer 31 July); before the autumn term ends, the previous academic"
            " year is shown."
        ),
        why=(
            "Children in care who miss school fall behind; attendance is the Virtual School's "
            "first lever."
        ),
        why_source="DfE Working together to improve school attendance (statutory guidance, 2024)",
    ),
    Indicator(
        id="vs_persistent_absence",
        title="Persistently absent",
        service_area=VIRTUAL_SCHOOL,
        definition=(
            "Children looked after who missed 10% or more of their possible sessions this "
            "academic year (complete terms)."
        ),
        numerator="children whose absence is 10% or more of their possible sessions",
        denominator="children with possible sessions in the ended terms of the academic year",
        unit=PERCENT,
        polarity=LOWER,
        period=AYTD,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("attendance",),
        dfe_definition="DfE 'persistent absentee': 10% or more of possible sessions missed.",
        why="Missing 10% of school is the point where attainment suffers.",
        why_source="DfE Working together to improve school attendance (statutory guidance, 2024)",
    ),
    Indicator(
        id="vs_suspensions",
        title="Children with one or more suspensions",
        service_area=VIRTUAL_SCHOOL,
        definition=(
            "Of the children looked after of school age, the share suspended at least once this "
            "academic year."
        ),
        numerator="children with a suspension starting since 1 September",
        denominator=(
            "children looked after at the month end aged 4-15 on 31 August before the academic year"
        ),
        unit=PERCENT,
        polarity=LOWER,
        period=AYTD,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=EPISODES + ("suspensions",),
        dfe_definition=(
            "Like DfE 'children looked after with at least one suspension' (there: looked after "
            "12 months at 31 March)."
        ),
        why="Suspensions interrupt schooling and often signal unmet needs.",
        why_source=(
            "DfE Suspension and permanent exclusion guidance (2024); DfE Outcomes for children in"
            " need and looked after"
        ),
    ),
    Indicator(
        id="vs_permanent_exclusions",
        title="Permanent exclusions",
        service_area=VIRTUAL_SCHOOL,
        definition="Permanent exclusions of children looked after this academic year.",
        numerator="permanent exclusions starting since 1 September",
        unit=COUNT,
        polarity=LOWER,
        period=AYTD,
        splits_by_hub=True,
        hub_kinds=LAC_HUBS,
        sources=("suspensions",),
        dfe_definition="DfE permanent exclusions.",
        why=(
            "A child in care should almost never be permanently excluded; each one is a case for "
            "the Virtual Head."
        ),
        why_source="DfE Suspension and permanent exclusion guidance (2024)",
    ),
)
INDICATORS: tuple[Indicator, ...] = _resolved(_DECLARED)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get(indicator_id: str) -> Indicator:
    """The declaration of one indicator; a KeyError naming the known ids otherwise."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(
            f"Unknown indicator '{indicator_id}'. Known: {', '.join(sorted(BY_ID))}"
        ) from None
