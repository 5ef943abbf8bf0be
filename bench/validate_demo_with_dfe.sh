#!/usr/bin/env bash
# Run the DfE validation rules (Data to Insight's csc-validator-be-903 / -cin) on a demo drop.
#
#   bench/validate_demo_with_dfe.sh DROP_DIR [YEAR ...]
#
# The validators pin pandas<2, so they live in their own venv outside the repo
# (VALIDATOR_VENV, default /opt/dfe-validators), created here if absent. Without YEARs, every
# complete collection year the validators have rules for (2023 onwards, 31 March on or before
# the drop's as_at.txt) is checked. Prints error counts by rule for each year and return.
set -euo pipefail
DROP=${1:?usage: $0 DROP_DIR [YEAR ...]}
shift || true
VENV=${VALIDATOR_VENV:-/opt/dfe-validators}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import lac_validator, cin_validator" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q csc-validator-be-903 csc-validator-be-cin
fi
"$VENV/bin/python" - "$DROP" "$@" <<'PY'
import contextlib
import importlib
import io
import logging
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

drop = Path(sys.argv[1])
# Without YEARs: the complete collection years (31 March on or before the drop's as-at date)
# the validators have rules for. The as-of year's return is unfinished -- checking it against
# its 31 March floods rules such as 8670Q (assessments still open) and 191 (OC2 not yet due).
as_at = (drop / "as_at.txt").read_text().strip() if (drop / "as_at.txt").exists() else "9999-12-31"
years = [int(y) for y in sys.argv[2:]] or sorted(
    int(p.name) for p in (drop / "ssda903").iterdir()
    if int(p.name) >= 2023 and f"{p.name}-03-31" <= as_at[:10])


def ruleset_name(prefix, year, available):
    want = f"{prefix}{year - 1}_{str(year)[2:]}"
    if want in available:
        return want
    # later years than the package knows: use its newest ruleset
    return sorted(available)[-1] if year > int(sorted(available)[-1][-2:]) + 2000 else want


def lac(year):
    from lac_validator import lac_validator as lv
    from lac_validator.utils import process_uploaded_files

    import lac_validator.rules as rules_pkg
    available = [p.name for p in Path(list(rules_pkg.__path__)[0]).iterdir()
                 if p.name.startswith("lac20")]
    rs = ruleset_name("lac", year, available)
    files = {"This year": [str(p) for p in sorted((drop / "ssda903" / str(year)).glob("*.csv"))]}
    prev = drop / "ssda903" / str(year - 1)
    if prev.exists():
        files["Prev year"] = [str(p) for p in sorted(prev.glob("*.csv"))]
    registry = importlib.import_module(f"lac_validator.rules.{rs}").registry
    with contextlib.redirect_stdout(io.StringIO()):  # some rules print their workings
        v = lv.LacValidator(
            metadata={"collectionYear": str(year), "localAuthority": "E06000039"},
            files=process_uploaded_files(files), registry=registry)
    errs = Counter()
    for table, df in v.ds_results.items():
        if not hasattr(df, "columns"):
            continue
        for col in df.columns:
            if str(col).startswith("ERR_"):
                errs[(col[4:], table)] += int(df[col].fillna(False).astype(bool).sum())
    return rs, {k: n for k, n in errs.items() if n}, v.fails, registry


def cin(year):
    from cin_validator import cin_validator as cv

    import cin_validator.rules as rules_pkg
    available = [p.name for p in Path(list(rules_pkg.__path__)[0]).iterdir()
                 if p.name.startswith("cin20")]
    rs = ruleset_name("cin", year, available)
    root = ET.parse(drop / "cin" / f"{year}.xml").getroot()
    data = cv.process_data(cv.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{rs}").registry
    with contextlib.redirect_stdout(io.StringIO()):
        v = cv.CinValidator(data, registry)
    df = v.full_issue_df
    counts = Counter(df["rule_code"].astype(str)) if len(df) else Counter()
    # one count per distinct error instance (a rule flags several fields of one record)
    if len(df) and "ERROR_ID" in df.columns:
        counts = Counter(df.drop_duplicates(["rule_code", "ERROR_ID"])["rule_code"].astype(str))
    return rs, dict(counts), registry


def message(registry, code):
    rule = registry.get(code) or registry.get(str(code))
    if rule is None:
        try:
            rule = registry.get(int(code))
        except ValueError:
            rule = None
    return (getattr(rule, "message", "") or "")[:110]


total = 0
for year in years:
    rs, errs, fails, reg = lac(year)
    n = sum(errs.values())
    total += n
    print(f"== SSDA903 {year} ({rs}): {n} errors" + (f"; rules failed to run: {fails}" if fails else ""))
    for (code, table), k in sorted(errs.items(), key=lambda x: -x[1]):
        print(f"   {code:>10} {table:14} {k:6}  {message(reg, code)}")
    if (drop / "cin" / f"{year}.xml").exists():
        rs, errs, reg = cin(year)
        n = sum(errs.values())
        total += n
        print(f"== CIN {year} ({rs}): {n} errors")
        for code, k in sorted(errs.items(), key=lambda x: -x[1]):
            print(f"   {code:>10} {k:6}  {message(reg, code)}")
print(f"TOTAL {total}")
PY
