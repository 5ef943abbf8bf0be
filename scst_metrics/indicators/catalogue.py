"""The indicator catalogue: every indicator declared once, in the board's own words.

Pages, overview tiles, exports, the data dictionary (docs/indicators.md) and the tests all read
these declarations. Each indicator's query is `queries/<id>.sql`; it returns one row per
counted thing (`period_end, hub_id, num, den`) and materialise.py adds them up per hub and for
the whole Trust (from the data, never by averaging hubs), then works out the value from the
unit. Adding an indicator means adding a declaration here, its query and its test.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERIES = Path(__file__).with_name("queries")

# Service areas, in board order
HUBS = "hubs"
LAC = "lac"
FOSTERING = "fostering"
VIRTUAL_SCHOOL = "virtual_school"
SERVICE_AREAS = {
    HUBS: "Hubs (children in need and child protection)",
    LAC: "Looked after children and care leavers",
    FOSTERING: "Fostering",
    VIRTUAL_SCHOOL: "Virtual School",
}

# Units: how the value is worked out from numerator and denominator
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

# Polarity: which way is better
HIGHER = "higher_is_better"
LOWER = "lower_is_better"
NEUTRAL = "neutral"  # context only: never RAG-rated
BAND = "within_band"  # best inside a target band (e.g. 40-70 children per hub)
POLARITIES = (HIGHER, LOWER, NEUTRAL, BAND)

# Periods: what each period_end's value covers
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

# The Trust's local authority (Slough): placements outside it are "outside the borough"
HOME_LA_CODE = "E06000039"


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    service_area: str
    definition: str  # plain English, as a board member reads it
    numerator: str
    denominator: str
    unit: str
    polarity: str
    period: str
    splits_by_hub: bool
    sources: tuple[str, ...]  # source tables (extracts/schema.py) the query needs
    dfe_definition: str = ""  # the DfE measure followed, and any deliberate difference
    hub_kinds: tuple[str, ...] = ALL_HUBS

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
    def sql(self) -> str:
        return query_sql(self.id)


@cache
def query_sql(indicator_id: str) -> str:
    return (QUERIES / f"{indicator_id}.sql").read_text(encoding="utf-8")


def _i(*args, **kw) -> Indicator:
    return Indicator(*args, **kw)


EPISODES = ("s903_header", "s903_episodes")

INDICATORS: tuple[Indicator, ...] = (
    # --- Hubs: children in need and child protection --------------------------------------
    _i(
        "hub_allocated",
        "Children allocated to the hub",
        HUBS,
        "Children whose case is held by the hub at the month end.",
        "children whose case the hub held at the month end",
        "none (a count)",
        COUNT,
        BAND,
        MONTH_END,
        True,
        ("allocations",),
        "Local measure (no DfE equivalent). A child whose case moved hub during the month "
        "counts once, in the hub holding it at the month end.",
        CASE_HUBS,
    ),
    _i(
        "referrals_month",
        "Referrals in the month",
        HUBS,
        "Referrals to children's social care received during the month.",
        "referrals (CINreferralDate) in the month",
        "none (a count)",
        COUNT,
        NEUTRAL,
        IN_MONTH,
        True,
        ("cin_referrals",),
        "CIN census referrals (CINdetails). By hub: the hub holding the child's case at the "
        "month end (referrals closed with no further action and never allocated count only in "
        "the Trust total).",
        CASE_HUBS,
    ),
    _i(
        "referrals_rate_12m",
        "Referrals per 10,000 children (12 months)",
        HUBS,
        "Referrals received in the last 12 months, per 10,000 children living in Slough.",
        "referrals in the 12 months to the month end",
        "children aged 0-17 (ONS mid-year estimate)",
        RATE_10K,
        NEUTRAL,
        ROLLING_12M,
        False,
        ("cin_referrals",),
        "DfE 'referrals rate per 10,000 children' (Characteristics of children in need), on a "
        "rolling 12 months rather than the year to 31 March.",
    ),
    _i(
        "rereferrals_12m",
        "Re-referrals within 12 months",
        HUBS,
        "Of the referrals in the last 12 months, the share that came within 12 months of a "
        "previous referral of the same child.",
        "referrals in the 12 months to the month end made within 12 months of the child's "
        "previous referral",
        "referrals in the 12 months to the month end",
        PERCENT,
        LOWER,
        ROLLING_12M,
        True,
        ("cin_referrals",),
        "DfE 're-referrals within 12 months of a previous referral' (CIN census). A previous "
        "referral from before the earliest census in the drop cannot be seen.",
        CASE_HUBS,
    ),
    _i(
        "assessments_45wd",
        "Assessments within 45 working days",
        HUBS,
        "Of the child and family assessments completed in the last 12 months, the share "
        "authorised within 45 working days of starting.",
        "assessments authorised in the 12 months whose authorisation date is at most 45 working "
        "days after the start date",
        "assessments authorised in the 12 months to the month end",
        PERCENT,
        HIGHER,
        ROLLING_12M,
        True,
        ("cin_assessments",),
        "DfE 'assessments completed within 45 working days' (CIN census, Working Together). "
        "Working days exclude weekends and England bank holidays; the start date is day 0.",
        CASE_HUBS,
    ),
    _i(
        "icpc_15wd",
        "Initial child protection conferences within 15 working days",
        HUBS,
        "Of the initial child protection conferences held in the last 12 months, the share held "
        "within 15 working days of the start of the section 47 enquiry.",
        "initial conferences at most 15 working days after the section 47 start",
        "initial conferences in the 12 months to the month end whose section 47 start is known",
        PERCENT,
        HIGHER,
        ROLLING_12M,
        True,
        ("cin_initial_conferences",),
        "DfE 'ICPCs within 15 working days of the strategy discussion / start of section 47' "
        "(CIN census); the S47 start date is day 0. Conferences whose section 47 start is not "
        "recorded cannot be timed and are left out.",
        CASE_HUBS,
    ),
    _i(
        "cp_plans",
        "Children subject to a child protection plan",
        HUBS,
        "Children subject to a child protection plan at the month end.",
        "children with a plan started on or before the month end and not ended by it",
        "none (a count)",
        COUNT,
        NEUTRAL,
        MONTH_END,
        True,
        ("cin_cp_plans",),
        "DfE 'children subject to a CP plan at 31 March', at every month end. A plan ending on "
        "the month end has ended.",
        CASE_HUBS,
    ),
    _i(
        "cp_plans_rate",
        "Child protection plans per 10,000 children",
        HUBS,
        "Children subject to a child protection plan at the month end, per 10,000 children "
        "living in Slough.",
        "children subject to a CP plan at the month end",
        "children aged 0-17 (ONS mid-year estimate)",
        RATE_10K,
        NEUTRAL,
        MONTH_END,
        False,
        ("cin_cp_plans",),
        "DfE 'rate of children subject to a CP plan per 10,000 children'.",
    ),
    _i(
        "cp_second_plans_12m",
        "Second or subsequent child protection plans",
        HUBS,
        "Of the child protection plans started in the last 12 months, the share that were the "
        "child's second or later plan.",
        "plans started in the 12 months where the child had a plan before (ever)",
        "plans started in the 12 months to the month end",
        PERCENT,
        LOWER,
        ROLLING_12M,
        True,
        ("cin_cp_plans",),
        "DfE 'CP plans starting during the year which were a second or subsequent plan'. A plan "
        "counts as subsequent when NumberOfPreviousCPP is 1 or more or an earlier plan of the "
        "child is in the data.",
        CASE_HUBS,
    ),
    _i(
        "cp_ended_2yrs_12m",
        "Child protection plans lasting 2 years or more",
        HUBS,
        "Of the child protection plans that ended in the last 12 months, the share that had "
        "lasted 2 years or more.",
        "plans ended in the 12 months that lasted 2 years or more",
        "plans ended in the 12 months to the month end",
        PERCENT,
        LOWER,
        ROLLING_12M,
        True,
        ("cin_cp_plans",),
        "DfE 'CP plans ceasing during the year which lasted 2 years or more'.",
        CASE_HUBS,
    ),
    _i(
        "cp_visits_10wd",
        "Child protection visits within 10 working days",
        HUBS,
        "Of the children on a child protection plan at the month end, the share visited in the "
        "last 10 working days.",
        "children with a statutory visit in the 10 working days ending on the month end",
        "children on a CP plan at the month end whose plan is at least 10 working days old",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        ("cin_cp_plans", "visits"),
        "Local standard (the Trust's CP visiting timescale); any recorded statutory visit counts.",
        CASE_HUBS,
    ),
    _i(
        "cin_visits_20wd",
        "Child in need visits within 20 working days",
        HUBS,
        "Of the children on a child in need plan at the month end, the share visited in the last "
        "20 working days.",
        "children with a statutory visit in the 20 working days ending on the month end",
        "children on a CIN plan at the month end whose plan is at least 20 working days old",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        ("cin_plans", "visits"),
        "Local standard; any recorded statutory visit counts.",
        CASE_HUBS,
    ),
    _i(
        "caseload_per_fte",
        "Average caseload per social worker (FTE)",
        HUBS,
        "Children's cases allocated to a social worker, per full-time-equivalent social worker "
        "in post, at the month end.",
        "cases allocated to a named worker at the month end (by the hub holding the case)",
        "FTE of social workers in post at the month end (by the worker's hub)",
        RATIO,
        LOWER,
        MONTH_END,
        True,
        ("allocations", "social_workers"),
        "Like DfE's Children's social work workforce 'average caseload' (cases per FTE "
        "case-holding social worker at 30 September), at every month end.",
        ALL_HUBS,
    ),
    _i(
        "agency_fte_pct",
        "Agency social workers",
        HUBS,
        "Agency social workers as a share of all social workers in post (FTE) at the month end.",
        "FTE of agency social workers in post",
        "FTE of all social workers in post at the month end",
        PERCENT,
        LOWER,
        MONTH_END,
        True,
        ("social_workers",),
        "DfE Children's social work workforce 'agency workers as % of FTE' (30 September), at "
        "every month end.",
        ALL_HUBS,
    ),
    # --- Looked after children and care leavers -------------------------------------------
    _i(
        "lac_count",
        "Children looked after",
        LAC,
        "Children looked after at the month end, not counting children who only have agreed "
        "short breaks.",
        "children with an episode of care open at the month end (legal status not V3/V4)",
        "none (a count)",
        COUNT,
        NEUTRAL,
        MONTH_END,
        True,
        EPISODES,
        "DfE 'children looked after at 31 March' (SSDA903), at every month end: V3/V4 "
        "short-break episodes are excluded; an episode ceasing on the month end is not open.",
        LAC_HUBS,
    ),
    _i(
        "lac_rate",
        "Children looked after per 10,000 children",
        LAC,
        "Children looked after at the month end per 10,000 children living in Slough.",
        "children looked after at the month end (excluding V3/V4 short breaks)",
        "children aged 0-17 (ONS mid-year estimate)",
        RATE_10K,
        NEUTRAL,
        MONTH_END,
        False,
        EPISODES,
        "DfE 'rate of children looked after per 10,000 children aged under 18'.",
    ),
    _i(
        "lac_3plus_placements",
        "Three or more placements in 12 months",
        LAC,
        "Of the children looked after at the month end, the share who had three or more "
        "placements in the last 12 months.",
        "children looked after at the month end with 3+ placements in the 12 months",
        "children looked after at the month end (excluding V3/V4 short breaks)",
        PERCENT,
        LOWER,
        ROLLING_12M,
        True,
        EPISODES,
        "DfE CLA placement stability measure (children looked after at 31 March with three or "
        "more placements during the year). A placement is counted when an episode starts a "
        "period of care or changes placement (RNE S, P or T), plus the placement held at the "
        "start of the 12 months; V3/V4 short breaks are not placements.",
        LAC_HUBS,
    ),
    _i(
        "lac_long_term_stability",
        "Long-term placement stability",
        LAC,
        "Of the children under 16 looked after for 2.5 years or more, the share who have been "
        "in the same placement for 2 years or more, or are placed for adoption.",
        "those whose placement began 2 years or more before the month end (for a child placed "
        "for adoption: the adoptive placement and the one before it together)",
        "children under 16 at the month end looked after continuously for 2.5 years or more",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        EPISODES,
        "DfE long-term placement stability measure (CLA at 31 March), at every month end.",
        LAC_HUBS,
    ),
    _i(
        "lac_placed_20miles",
        "Placed more than 20 miles from home",
        LAC,
        "Of the children looked after at the month end, the share placed more than 20 miles "
        "(straight line) from their home postcode.",
        "children whose placement postcode is more than 20 miles from their home postcode",
        "children looked after at the month end whose home and placement postcodes are both "
        "located (ONS)",
        PERCENT,
        LOWER,
        MONTH_END,
        True,
        EPISODES,
        "DfE SSDA903 distance measure: straight-line distance between HOME_POST and PL_POST "
        "(ONS postcode centroids). Children with a missing or unknown postcode are left out "
        "of both numerator and denominator.",
        LAC_HUBS,
    ),
    _i(
        "lac_placed_outside_borough",
        "Placed outside the borough",
        LAC,
        "Of the children looked after at the month end, the share placed outside Slough.",
        "children whose placement postcode is outside Slough (ONS local authority)",
        "children looked after at the month end whose placement postcode is located",
        PERCENT,
        LOWER,
        MONTH_END,
        True,
        EPISODES,
        "DfE 'placed outside the local authority boundary' (SSDA903), from the ONS local "
        "authority of the placement postcode.",
        LAC_HUBS,
    ),
    _i(
        "lac_reviews_on_time",
        "Looked after reviews on time",
        LAC,
        "Of the children looked after at the month end, the share whose reviews are up to date.",
        "children whose latest review in this period of care is within its timescale: second "
        "review within 3 months of the first, later ones within 6 months",
        "children looked after at the month end whose first review (20 working days) was due",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        EPISODES + ("s903_reviews",),
        "Review timescales of the Care Planning Regulations 2010 (reg. 33): first within 20 "
        "working days, second within 3 months, then every 6 months.",
        LAC_HUBS,
    ),
    _i(
        "lac_visits_6weeks",
        "Looked after visits within 6 weeks",
        LAC,
        "Of the children looked after for 6 weeks or more at the month end, the share visited "
        "in the last 6 weeks.",
        "children with a statutory visit in the 42 days ending on the month end",
        "children looked after at the month end whose period of care began 42 days or more ago",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        EPISODES + ("visits",),
        "Care Planning Regulations 2010 (reg. 28): visits at least every 6 weeks in the first "
        "year (local standard applied throughout); any recorded statutory visit counts.",
        LAC_HUBS,
    ),
    _i(
        "lac_health_assessments",
        "Health assessments up to date",
        LAC,
        "Of the children looked after for 12 months or more at 31 March, the share whose health "
        "assessment was up to date.",
        "OC2 children with HEALTH_ASSESSMENT = 1 (HEALTH_CHECK is health promotion)",
        "children in the OC2 return (looked after 12 months or more at 31 March)",
        PERCENT,
        HIGHER,
        ANNUAL,
        True,
        ("s903_oc2",),
        "DfE SSDA903 OC2 'health assessments up to date'.",
        LAC_HUBS,
    ),
    _i(
        "lac_dental_checks",
        "Dental checks up to date",
        LAC,
        "Of the children looked after for 12 months or more at 31 March, the share whose dental "
        "check was up to date.",
        "OC2 children with TEETH_CHECK = 1",
        "children in the OC2 return (looked after 12 months or more at 31 March)",
        PERCENT,
        HIGHER,
        ANNUAL,
        True,
        ("s903_oc2",),
        "DfE SSDA903 OC2 'teeth checked by a dentist'.",
        LAC_HUBS,
    ),
    _i(
        "lac_missing_month",
        "Children looked after who went missing",
        LAC,
        "Children looked after who went missing from their placement during the month.",
        "children with a missing episode (MISSING = M) starting in the month",
        "none (a count)",
        COUNT,
        LOWER,
        IN_MONTH,
        True,
        EPISODES + ("s903_missing",),
        "DfE SSDA903 Missing table; 'away from placement without authorisation' (A) is not "
        "missing.",
        LAC_HUBS,
    ),
    _i(
        "lac_missing_pct",
        "Children looked after who went missing, %",
        LAC,
        "Of the children looked after at any time in the month, the share who went missing.",
        "children looked after in the month with a missing episode starting in the month",
        "children looked after at any time in the month (excluding V3/V4 short breaks)",
        PERCENT,
        LOWER,
        IN_MONTH,
        True,
        EPISODES + ("s903_missing",),
        "Like DfE 'children who had a missing incident during the year, % of children looked "
        "after during the year', for a month.",
        LAC_HUBS,
    ),
    _i(
        "care_leavers_in_touch",
        "Care leavers aged 19-21 in touch",
        LAC,
        "Of the care leavers aged 19 to 21, the share the Trust was in touch with.",
        "OC3 care leavers aged 19-21 with IN_TOUCH = YES",
        "OC3 care leavers aged 19-21 at 31 March",
        PERCENT,
        HIGHER,
        ANNUAL,
        True,
        ("s903_oc3",),
        "DfE SSDA903 OC3, care leavers whose 19th, 20th or 21st birthday fell in the year "
        "(aged 19-21 at 31 March); % of all of them, as DfE publishes.",
        LAC_HUBS,
    ),
    _i(
        "care_leavers_eet",
        "Care leavers aged 19-21 in education, employment or training",
        LAC,
        "Of the care leavers aged 19 to 21, the share in education, employment or training.",
        "OC3 care leavers aged 19-21 with ACTIV F1, P1, F2, P2, F4, P4, F5 or P5",
        "OC3 care leavers aged 19-21 at 31 March",
        PERCENT,
        HIGHER,
        ANNUAL,
        True,
        ("s903_oc3",),
        "DfE SSDA903 OC3 'in education, employment or training'.",
        LAC_HUBS,
    ),
    _i(
        "care_leavers_accommodation",
        "Care leavers aged 19-21 in suitable accommodation",
        LAC,
        "Of the care leavers aged 19 to 21, the share in suitable accommodation.",
        "OC3 care leavers aged 19-21 whose ACCOM code ends in 1 (suitable)",
        "OC3 care leavers aged 19-21 at 31 March",
        PERCENT,
        HIGHER,
        ANNUAL,
        True,
        ("s903_oc3",),
        "DfE SSDA903 OC3 'in suitable accommodation'.",
        LAC_HUBS,
    ),
    _i(
        "lac_uasc",
        "Unaccompanied asylum-seeking children looked after",
        LAC,
        "Unaccompanied asylum-seeking children looked after at the month end.",
        "children looked after at the month end who are in the UASC table and had not ceased "
        "to be UASC by then",
        "none (a count)",
        COUNT,
        NEUTRAL,
        MONTH_END,
        True,
        EPISODES + ("s903_uasc",),
        "DfE 'unaccompanied asylum-seeking children looked after' (SSDA903 UASC table, DUC = "
        "date ceased to be UASC).",
        LAC_HUBS,
    ),
    # --- Fostering (Trust-wide) -------------------------------------------------------------
    _i(
        "fostering_households",
        "Approved in-house fostering households",
        FOSTERING,
        "The Trust's own approved fostering households at the month end.",
        "households approved on or before the month end and not deregistered by it",
        "none (a count)",
        COUNT,
        HIGHER,
        MONTH_END,
        False,
        ("fostering_households",),
        "Like Ofsted 'Fostering in England' households at 31 March (all kinds of household).",
    ),
    _i(
        "fostering_approvals_fytd",
        "New fostering households approved this financial year",
        FOSTERING,
        "Mainstream and short-break fostering households approved since 1 April: the "
        "fostering service's recruitment. Connected-person (family and friends) carers, "
        "approved for a named child, are not counted.",
        "mainstream or short-break households with an approval date from 1 April to the month end",
        "none (a count)",
        COUNT,
        HIGHER,
        FYTD,
        False,
        ("fostering_households",),
        "Like Ofsted 'Fostering in England' mainstream households approved in the year "
        "(Ofsted counts family and friends households separately).",
    ),
    _i(
        "fostering_deregistrations_fytd",
        "Fostering households deregistered this financial year",
        FOSTERING,
        "Mainstream and short-break fostering households deregistered since 1 April: "
        "carers the service has lost. Connected-person approvals, which end with the named "
        "child's placement, are not counted.",
        "mainstream or short-break households with a deregistration date from 1 April to the "
        "month end",
        "none (a count)",
        COUNT,
        LOWER,
        FYTD,
        False,
        ("fostering_households",),
        "Like Ofsted 'Fostering in England' mainstream households deregistered in the year "
        "(family and friends counted separately).",
    ),
    _i(
        "fostering_assessments_in_progress",
        "Fostering assessments in progress",
        FOSTERING,
        "Formal fostering applications being assessed at the month end.",
        "applications accepted on or before the month end with no decision by it",
        "none (a count)",
        COUNT,
        NEUTRAL,
        MONTH_END,
        False,
        ("fostering_applications",),
        "Local measure.",
    ),
    _i(
        "fostering_assessments_8m",
        "Fostering assessments completed within 8 months",
        FOSTERING,
        "Of the fostering assessments completed in the last 12 months, the share decided within "
        "8 months of the application.",
        "assessments decided at most 8 months after the application was accepted",
        "assessments decided (approved or not approved) in the 12 months to the month end",
        PERCENT,
        HIGHER,
        ROLLING_12M,
        False,
        ("fostering_applications",),
        "Fostering Services (England) Regulations / national minimum standards expect stage 2 "
        "assessments to finish within 8 months; withdrawn applications are not completed "
        "assessments.",
    ),
    _i(
        "fostering_inhouse_pct",
        "Foster children with in-house carers",
        FOSTERING,
        "Of the children looked after in foster placements at the month end, the share with "
        "the Trust's own carers rather than agencies.",
        "children in foster placements (PLACE U1-U6) provided by the Trust (PLACE_PROVIDER PR1)",
        "children looked after at the month end in foster placements (PLACE U1-U6)",
        PERCENT,
        HIGHER,
        MONTH_END,
        False,
        EPISODES,
        "SSDA903 PLACE U1-U6 and PLACE_PROVIDER (PR1 own LA); V3/V4 short breaks excluded.",
    ),
    _i(
        "fostering_places_filled",
        "In-house fostering places filled",
        FOSTERING,
        "Of the places the Trust's approved households are approved for, the share filled by a "
        "child at the month end.",
        "children placed with an approved in-house household at the month end",
        "places of the households approved at the month end",
        PERCENT,
        HIGHER,
        MONTH_END,
        False,
        ("fostering_households", "foster_placements"),
        "Like Ofsted 'Fostering in England' places filled at 31 March.",
    ),
    # --- Virtual School ----------------------------------------------------------------------
    _i(
        "pep_in_date",
        "Personal Education Plans in date",
        VIRTUAL_SCHOOL,
        "Of the children looked after of school age (Reception to Year 11), the share with a "
        "Personal Education Plan meeting in the last 6 months.",
        "children with a PEP meeting in the 6 months ending on the month end",
        "children looked after at the month end aged 4-15 on 31 August before the academic year",
        PERCENT,
        HIGHER,
        MONTH_END,
        True,
        EPISODES + ("peps",),
        "Statutory guidance 'Promoting the education of looked-after children' (PEP reviewed "
        "each term; we test 6 months, the board's measure). School age by age on 31 August.",
        LAC_HUBS,
    ),
    _i(
        "pep_good",
        "Personal Education Plans rated good or better",
        VIRTUAL_SCHOOL,
        "Of the PEPs graded by the Virtual School this academic year, the share rated good or "
        "outstanding.",
        "PEP meetings since 1 September graded good or outstanding",
        "PEP meetings since 1 September with a grade",
        PERCENT,
        HIGHER,
        AYTD,
        True,
        ("peps",),
        "Local quality assurance measure.",
        LAC_HUBS,
    ),
    _i(
        "vs_attendance",
        "School attendance of children looked after",
        VIRTUAL_SCHOOL,
        "Sessions attended as a share of possible sessions, this academic year (complete terms).",
        "possible sessions less authorised and unauthorised absence",
        "possible sessions, for the terms of the academic year that have ended",
        PERCENT,
        HIGHER,
        AYTD,
        True,
        ("attendance",),
        "DfE absence statistics (sessions). Terms count once ended (autumn 31 December, spring "
        "31 March, summer 31 July); before the autumn term ends, the previous academic year is "
        "shown.",
        LAC_HUBS,
    ),
    _i(
        "vs_persistent_absence",
        "Persistently absent",
        VIRTUAL_SCHOOL,
        "Children looked after who missed 10% or more of their possible sessions this academic "
        "year (complete terms).",
        "children whose absence is 10% or more of their possible sessions",
        "children with possible sessions in the ended terms of the academic year",
        PERCENT,
        LOWER,
        AYTD,
        True,
        ("attendance",),
        "DfE 'persistent absentee': 10% or more of possible sessions missed.",
        LAC_HUBS,
    ),
    _i(
        "vs_suspensions",
        "Children with one or more suspensions",
        VIRTUAL_SCHOOL,
        "Of the children looked after of school age, the share suspended at least once this "
        "academic year.",
        "children with a suspension starting since 1 September",
        "children looked after at the month end aged 4-15 on 31 August before the academic year",
        PERCENT,
        LOWER,
        AYTD,
        True,
        EPISODES + ("suspensions",),
        "Like DfE 'children looked after with at least one suspension' (there: looked after 12 "
        "months at 31 March).",
        LAC_HUBS,
    ),
    _i(
        "vs_permanent_exclusions",
        "Permanent exclusions",
        VIRTUAL_SCHOOL,
        "Permanent exclusions of children looked after this academic year.",
        "permanent exclusions starting since 1 September",
        "none (a count)",
        COUNT,
        LOWER,
        AYTD,
        True,
        ("suspensions",),
        "DfE permanent exclusions.",
        LAC_HUBS,
    ),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get(indicator_id: str) -> Indicator:
    """The declaration of one indicator; a KeyError naming the known ids otherwise."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(
            f"Unknown indicator '{indicator_id}'. Known: {', '.join(sorted(BY_ID))}"
        ) from None
