"""What DfE says about each published measure the board compares with, and the mapping from our
indicators to them, read from the catalogue.

Which DfE measure an indicator is set beside, and how ours differs, is declared once, in the
catalogue (`dfe_measure`, `dfe_difference` in scst_metrics/indicators/catalogue.toml). This
module holds only what DfE says about each measure: its publication, and from DfE's LAIT data
dictionary its polarity (column Polarity: DfE ranks and bands only measures with polarity High
or Low) and whether it is banded in quartiles (column No_Quartile: N = never banded), and the
day DfE's year ends. `measure` is the short name in DfE's Local Authority Interactive Tool
(LAIT) long file and data dictionary (column "Short Desc" / "Measure_short").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scst_metrics.indicators.catalogue import INDICATORS, Indicator

# DfE publications (explore-education-statistics), as each row of the shipped file names them
CLA = "DfE Children looked after in England"  # SSDA903
CIN = "DfE Characteristics of children in need"  # CIN census
WORKFORCE = "DfE Children's social work workforce"  # CSWW census at 30 September
OUTCOMES = "DfE Outcomes for children in need"  # incl. children looked after

HIGH = "High"  # higher is better
LOW = "Low"  # lower is better
NONE = "-"  # DfE gives no polarity: no rank, no quartile band

MARCH, SEPTEMBER, JULY = (3, 31), (9, 30), (7, 31)  # (month, day) DfE's year Y ends on

# measure: (publication, DfE polarity, year end); every one is banded in quartiles
DFE_DICTIONARY: dict[str, tuple[str, str, tuple[int, int]]] = {
    "CPP_Total_Rateper10,000": (CIN, NONE, MARCH),
    "ReReferral": (CIN, LOW, MARCH),
    "Continue_Assess_Comp": (CIN, HIGH, MARCH),
    "CP_conf_15days": (CIN, HIGH, MARCH),
    "CPP_Num": (CIN, NONE, MARCH),
    "CPP_rate": (CIN, NONE, MARCH),
    "PrevRegCPR": (CIN, LOW, MARCH),
    "CPPlans2yrs": (CIN, LOW, MARCH),
    "Work_Force_AvgNumCase_SW": (WORKFORCE, LOW, SEPTEMBER),
    "Work_Force_Agecy_Rate": (WORKFORCE, LOW, SEPTEMBER),
    "LACnum": (CLA, NONE, MARCH),
    "LAC": (CLA, NONE, MARCH),
    "LACStable_2016on": (CLA, LOW, MARCH),
    "LAC_LongStable%": (CLA, HIGH, MARCH),
    "LACDistance": (CLA, LOW, MARCH),
    "Unacc_Asylmn_Seek_Childn": (CLA, NONE, MARCH),
    "LACHealth%": (CLA, HIGH, MARCH),
    "LACDental%": (CLA, HIGH, MARCH),
    "Children_missing": (CLA, NONE, MARCH),
    "CareLeaverEET": (CLA, HIGH, MARCH),
    "CareLeaverAcc": (CLA, HIGH, MARCH),
    "LAC_Pers_Abs": (OUTCOMES, LOW, JULY),
}
NO_QUARTILES: frozenset[str] = frozenset()  # measures the dictionary marks No_Quartile = N


@dataclass(frozen=True)
class DfeMeasure:
    indicator_id: str
    measure: str  # LAIT "Short Desc"
    publication: str
    polarity: str  # DfE's, from the LAIT data dictionary
    difference: str  # how our indicator differs from DfE's measure ("" = none)
    quartiles: bool = True  # False where the dictionary says No_Quartile = N
    year_end: tuple[int, int] = MARCH  # (month, day) DfE's year Y ends on, in year Y

    def period_end(self, year: int) -> date:
        """Our month end matching DfE's year `year` (31 March, 30 September, 31 July)."""
        return date(year, *self.year_end)


def measures_of(indicators: tuple[Indicator, ...] = INDICATORS) -> dict[str, DfeMeasure]:
    """Indicator id -> the DfE measure the catalogue sets beside it, with DfE's facts."""
    out = {}
    for ind in indicators:
        if ind.dfe_measure is None:
            continue
        try:
            publication, polarity, year_end = DFE_DICTIONARY[ind.dfe_measure]
        except KeyError:
            raise ValueError(
                f"{ind.id}: dfe_measure {ind.dfe_measure!r} is not in DFE_DICTIONARY "
                "(scst_metrics/benchmarks/measures.py): add what DfE's LAIT dictionary says of it"
            ) from None
        quartiles = ind.dfe_measure not in NO_QUARTILES
        out[ind.id] = DfeMeasure(
            ind.id, ind.dfe_measure, publication, polarity, ind.dfe_difference, quartiles, year_end
        )
    return out


MEASURES: dict[str, DfeMeasure] = measures_of()
