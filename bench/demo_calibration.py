"""The demo Trust measured through the real indicators, next to Slough's published figures.

    .venv/bin/python bench/demo_calibration.py [--drop DIR] [--db FILE] [--as-of DATE] [--seed N]

Generates a demo drop (unless --drop or --db is given), loads it with the real loader into a
temporary DuckDB file, and prints for each collection year 2016-2025 the demo's Trust value
next to Slough's DfE figure read at run time from
../shared/reference/benchmarks/slough_comparators.csv (beside the repository; not copied).

Dating follows DfE: stocks and rates at 31 March; referrals, re-referrals, assessments, plans
starting/ending and 3+ placements for the year to 31 March; care leavers from OC3 (31 March);
persistent absence for the academic year to 31 July (Slough's figure from
data/benchmarks/dfe_figures.csv, which the extract beside the repository does not hold).
The workforce figures (agency %, caseload) are DfE's at 30 September, which LAIT files under
that year (2016 = September 2016, as the load's reconciliation reads them), so the demo is read
at 30 September too.
Not a test: nothing is asserted. A "diff" column shows demo minus Slough.

Last, the load's own reconciliation (`benchmark_reconciliation`: our 31 March figure from the
extracts beside the figure DfE published for Slough, per measure and year): how many rows are
beyond the tolerance, per indicator, and the largest gaps left (in tolerances).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
# beside the checkout (../shared); a git worktree one level further down (wt/NAME) looks up
# one more level
_SHARED = [d / "shared" for d in (ROOT.parent, ROOT.parent.parent)]
COMPARATORS = (
    next((d for d in _SHARED if d.exists()), _SHARED[0])
    / "reference/benchmarks/slough_comparators.csv"
)

FIGURES = ROOT / "data/benchmarks/dfe_figures.csv"

# indicator id -> (LAIT code, reference date rule, label)
ROWS = [
    ("lac_count", "LACnum", "mar", "Children looked after (number)"),
    ("lac_rate", "LAC", "mar", "Looked after per 10,000"),
    ("referrals_rate_12m", "CPP_Total_Rateper10,000", "mar", "Referrals per 10,000 (year)"),
    ("rereferrals_12m", "ReReferral", "mar", "Re-referrals within 12 months %"),
    ("assessments_45wd", "Continue_Assess_Comp", "mar", "Assessments within 45 WD %"),
    ("cp_plans_rate", "CPP_rate", "mar", "CP plans per 10,000"),
    ("cp_second_plans_12m", "PrevRegCPR", "mar", "Second or subsequent CP plans %"),
    ("cp_ended_2yrs_12m", "CPPlans2yrs", "mar", "CP plans ended after 2+ years %"),
    ("lac_3plus_placements", "LACStable_2016on", "mar", "3+ placements in the year %"),
    ("lac_long_term_stability", "LAC_LongStable%", "mar", "Long-term stability %"),
    ("care_leavers_eet", "CareLeaverEET", "mar", "Care leavers 19-21 EET %"),
    ("care_leavers_accommodation", "CareLeaverAcc", "mar", "Care leavers suitable accom %"),
    ("agency_fte_pct", "Work_Force_Agecy_Rate", "sep", "Agency social workers % FTE"),
    ("caseload_per_fte", "Work_Force_AvgNumCase_SW", "sep", "Caseload per FTE"),
    ("vs_persistent_absence", "LAC_Pers_Abs", "jul", "Persistently absent (CLA) %"),
]
YEARS = range(2016, 2026)


def published() -> dict[tuple[str, int], float]:
    out = {}
    with COMPARATORS.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["geography"] == "Slough" and r["value_num"] not in ("", None):
                out[(r["lait_code"], int(r["year"]))] = float(r["value_num"])
    # measures the extract beside the repository does not hold (persistent absence): the
    # product's own DfE figures
    with FIGURES.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["measure"], int(r["year"]))
            if r["geography_code"] == "871" and r["value"] and key not in out:
                out[key] = float(r["value"])
    return out


def ref_date(year: int, rule: str) -> dt.date:
    if rule == "jul":
        return dt.date(year, 7, 31)
    return dt.date(year, 3, 31) if rule == "mar" else dt.date(year, 9, 30)


def demo_values(db: Path) -> dict[tuple[str, dt.date], float]:
    con = duckdb.connect(str(db), read_only=True)
    ids = [r[0] for r in ROWS]
    rows = con.execute(
        "select indicator_id, period_end, value from indicator_values "
        "where hub_id is null and indicator_id in (select unnest(?))",
        [ids],
    ).fetchall()
    con.close()
    return {(i, d): v for i, d, v in rows}


def reconciliation(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select indicator_id, year, ours, dfe, difference, tolerance, beyond_tolerance "
        "from benchmark_reconciliation order by indicator_id, year"
    ).fetchall()
    con.close()
    return rows


def print_reconciliation(rows: list[tuple], top: int = 25) -> None:
    beyond = [r for r in rows if r[6]]
    print(f"\nreconciliation: {len(beyond)} of {len(rows)} rows beyond tolerance")
    per: dict[str, list[int]] = {}
    for r in rows:
        per.setdefault(r[0], [0, 0])
        per[r[0]][0] += 1
        per[r[0]][1] += bool(r[6])
    for ind, (n, b) in sorted(per.items(), key=lambda x: -x[1][1]):
        print(f"  {ind:28} {b:3} of {n:3}")
    years: dict[int, list[int]] = {}
    for r in rows:
        years.setdefault(r[1], [0, 0])
        years[r[1]][0] += 1
        years[r[1]][1] += bool(r[6])
    print("  by year: " + ", ".join(f"{y} {b} of {n}" for y, (n, b) in sorted(years.items())))
    print(f"largest gaps (difference / tolerance; tolerance 0 counted as 1), top {top}:")
    print(f"  {'indicator':28} {'year':>5} {'ours':>9} {'DfE':>9} {'diff':>8}")
    for r in sorted(beyond, key=lambda r: -abs(r[4]) / max(r[5], 1.0))[:top]:
        print(f"  {r[0]:28} {r[1]:>5} {r[2]:9.1f} {r[3]:9.1f} {r[4]:8.1f}")


def fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--drop", type=Path, help="an existing drop (default: generate one)")
    ap.add_argument("--db", type=Path, help="an existing loaded database (skips generate+load)")
    ap.add_argument("--as-of", default="2026-11-24")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--scale", default="1")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="demo-cal-") as tmp:
        db = args.db
        if db is None:
            drop = args.drop
            if drop is None:
                drop = Path(tmp) / "drop"
                t0 = time.perf_counter()
                cmd = ["-m", "scst_metrics.demo", "--out", str(drop), "--as-of", args.as_of]
                cmd += ["--seed", args.seed, "--scale", args.scale]
                subprocess.run([sys.executable, *cmd], cwd=ROOT, check=True, capture_output=True)
                print(f"generated {drop} in {time.perf_counter() - t0:.1f}s")
            db = Path(tmp) / "demo.duckdb"
            t0 = time.perf_counter()
            cmd = ["-m", "scst_metrics.load", "--extracts", str(drop), "--db", str(db)]
            subprocess.run([sys.executable, *cmd], cwd=ROOT, check=True, capture_output=True)
            print(f"loaded in {time.perf_counter() - t0:.1f}s")
        demo = demo_values(db)
        recon = reconciliation(db)

    pub = published()
    print(f"\nSlough figures: {COMPARATORS}")
    print("workforce rows are at 30 September of the year (DfE/LAIT dating)\n")
    head = f"{'indicator':28}" + "".join(f"{y:>13}" for y in YEARS)
    summary = []
    for ind, code, rule, label in ROWS:
        print(f"{label}  [{ind}]")
        print(head)
        line_d = f"{'  demo':28}"
        line_p = f"{'  Slough':28}"
        gaps = []
        for y in YEARS:
            d = demo.get((ind, ref_date(y, rule)))
            p = pub.get((code, y))
            line_d += f"{fmt(d):>13}"
            line_p += f"{fmt(p):>13}"
            if d is not None and p is not None:
                gaps.append((abs(d - p), abs(d - p) / max(abs(p), 1e-9)))
        print(line_d)
        print(line_p)
        n = len(gaps) or 1
        summary.append((ind, sum(a for a, _ in gaps) / n, 100 * sum(r for _, r in gaps) / n))
        print()
    print("over the years with both: mean |demo - Slough| (in the indicator's unit), and relative")
    for ind, a, r in summary:
        print(f"  {ind:28} {a:7.1f} {r:6.1f}%")
    print_reconciliation(recon)


if __name__ == "__main__":
    main()
