"""Which DfE published measure each of our indicators is compared with, and how they differ.

Keyed by indicator id (scst_metrics/indicators/catalogue.py). Held here until the catalogue
carries it. `measure` is the measure's short name in DfE's Local Authority Interactive Tool
(LAIT) long file and data dictionary (column "Short Desc" / "Measure_short"); `polarity` and
`quartiles` are copied from that dictionary (columns Polarity and No_Quartile): DfE ranks and
bands only measures with polarity High or Low, and never bands a measure marked No_Quartile = N.
Indicators not listed have no DfE measure (local measures, Ofsted fostering figures, or a DfE
measure we do not compute the same way, e.g. care leavers "in touch" where DfE publishes the
complement "not in touch" with a different denominator rule before 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# DfE publications (explore-education-statistics), as each row of the shipped file names them
CLA = "DfE Children looked after in England"  # SSDA903
CIN = "DfE Characteristics of children in need"  # CIN census
WORKFORCE = "DfE Children's social work workforce"  # CSWW census at 30 September
OUTCOMES = "DfE Outcomes for children in need"  # incl. children looked after

HIGH = "High"  # higher is better
LOW = "Low"  # lower is better
NONE = "-"  # DfE gives no polarity: no rank, no quartile band


@dataclass(frozen=True)
class DfeMeasure:
    indicator_id: str
    measure: str  # LAIT "Short Desc"
    publication: str
    polarity: str  # DfE's, from the LAIT data dictionary
    difference: str  # how our indicator differs from DfE's measure ("" = none)
    quartiles: bool = True  # False where the dictionary says No_Quartile = N
    year_end: tuple[int, int] = (3, 31)  # (month, day) DfE's year Y ends on, in year Y

    def period_end(self, year: int) -> date:
        """Our month end matching DfE's year `year` (31 March, 30 September, 31 July)."""
        return date(year, *self.year_end)


_ROLLING = "Ours is the rolling 12 months to each month end; DfE's the year to 31 March."
_SNAPSHOT = "Ours is at every month end; DfE's at 31 March."

MEASURES: dict[str, DfeMeasure] = {
    m.indicator_id: m
    for m in (
        DfeMeasure("referrals_rate_12m", "CPP_Total_Rateper10,000", CIN, NONE, _ROLLING),
        DfeMeasure("rereferrals_12m", "ReReferral", CIN, LOW, _ROLLING),
        DfeMeasure("assessments_45wd", "Continue_Assess_Comp", CIN, HIGH, _ROLLING),
        DfeMeasure(
            "icpc_15wd",
            "CP_conf_15days",
            CIN,
            HIGH,
            _ROLLING + " DfE counts from the strategy discussion where one is recorded;"
            " we count from the section 47 start.",
        ),
        DfeMeasure("cp_plans", "CPP_Num", CIN, NONE, _SNAPSHOT),
        DfeMeasure("cp_plans_rate", "CPP_rate", CIN, NONE, _SNAPSHOT),
        DfeMeasure("cp_second_plans_12m", "PrevRegCPR", CIN, LOW, _ROLLING),
        DfeMeasure("cp_ended_2yrs_12m", "CPPlans2yrs", CIN, LOW, _ROLLING),
        DfeMeasure(
            "caseload_per_fte",
            "Work_Force_AvgNumCase_SW",
            WORKFORCE,
            LOW,
            "Ours is at every month end from the local caseload file; DfE's at 30 September"
            " (year named by DfE = the September's year).",
            year_end=(9, 30),
        ),
        DfeMeasure(
            "agency_fte_pct",
            "Work_Force_Agecy_Rate",
            WORKFORCE,
            LOW,
            "Ours is at every month end; DfE's at 30 September (year = the September's year).",
            year_end=(9, 30),
        ),
        DfeMeasure("lac_count", "LACnum", CLA, NONE, _SNAPSHOT),
        DfeMeasure("lac_rate", "LAC", CLA, NONE, _SNAPSHOT),
        DfeMeasure("lac_3plus_placements", "LACStable_2016on", CLA, LOW, _ROLLING),
        DfeMeasure(
            "lac_long_term_stability",
            "LAC_LongStable%",
            CLA,
            HIGH,
            _SNAPSHOT,
        ),
        DfeMeasure(
            "lac_placed_20miles",
            "LACDistance",
            CLA,
            LOW,
            _SNAPSHOT + " DfE counts only children placed outside the LA boundary.",
        ),
        DfeMeasure("lac_uasc", "Unacc_Asylmn_Seek_Childn", CLA, NONE, _SNAPSHOT),
        DfeMeasure("lac_health_assessments", "LACHealth%", CLA, HIGH, ""),
        DfeMeasure("lac_dental_checks", "LACDental%", CLA, HIGH, ""),
        DfeMeasure(
            "lac_missing_pct",
            "Children_missing",
            CLA,
            NONE,
            "Ours is children missing in the month; DfE's children missing during the year"
            " to 31 March as a % of children looked after during the year.",
        ),
        DfeMeasure(
            "care_leavers_eet",
            "CareLeaverEET",
            CLA,
            HIGH,
            "DfE publishes care leavers aged 19-21 (LAIT's long series: 19 to 21).",
        ),
        DfeMeasure("care_leavers_accommodation", "CareLeaverAcc", CLA, HIGH, ""),
        DfeMeasure(
            "vs_persistent_absence",
            "LAC_Pers_Abs",
            OUTCOMES,
            LOW,
            "Ours is the academic year to date of every child the Virtual School holds; DfE's"
            " the whole academic year of children looked after 12 months at 31 March.",
            year_end=(7, 31),
        ),
    )
}
