#!/usr/bin/env bash
# Run the DfE validation rules (Data to Insight's csc-validator-be-903 / -cin) on a demo drop.
#
#   bench/validate_demo_with_dfe.sh DROP_DIR [YEAR ...]
#
# The validators pin pandas<2, so they live in their own venv outside the repo
# (VALIDATOR_VENV, default /opt/dfe-validators), created here if absent. Without YEARs, every
# complete collection year the validators have rules for (2023 onwards, 31 March on or before
# the drop's as_at.txt) is checked. Prints, for each year and return, the flagged rows by rule
# (SSDA903) or distinct issues (CIN census; rules ending in Q are queries, not errors).
#
# Validator artefacts. The validator reads only this year's and last year's files, and a few
# of its rules cannot pass on a correct return. Each flagged row is checked, row by row, against
# the reason below; only rows that meet it are counted as artefacts ("art" column), the rest
# are errors in the return ("err"). The script exits 1 when any error is left.
#   1001 / 1002 (OC3)  care leaver aged 19-21 whose periods of care are all more than a year
#       before the return: the validator sees no episode for them in the two years it reads
#       and says so itself ("[NOTE: This tool can only test the current and previous year data
#       ... this check may generate false positives if a child had episodes prior to last
#       year's collection.]"). Counted an artefact only if the drop's earlier returns do hold a
#       period of care for the child (not a short break) -- the full history a drop holds.
#   202 (Header, 2024-25)  SEX is 1/2 to 2023-24 and M/F/U from 2024-25 (rule 101 of each
#       year); rule 202 compares the two years' codes as text. Artefact only where 1 -> M, 2 -> F.
#   146 (Episodes, 2024-25)  K3 (supported accommodation, new in 2024-25; rule 503D of the same
#       year expects H5 -> K3) is written `k3` in the validator's 2024-25 code list. Only K3 rows.
#   503F (Episodes, 2023-24)  an H5 placement open across 31 March 2023 gains its Ofsted URN in
#       2023-24 (supported accommodation registered with Ofsted from 28 October 2023): the URN
#       "differs" from last year's blank. Only H5 rows with a URN whose last year's URN is blank.
#   218 (Episodes, 2025-26)  short breaks (LS V3/V4) must carry no placement location, URN
#       included (rule 214, still in the 2025-26 ruleset); the validator's 2025-26 rule 218 asks
#       a URN of them. Only V3/V4 rows with no URN and no postcode.
#   241 (Episodes, 2025-26)  wants a K3 placement's LA to be one where the provider (its URN)
#       has premises; the validator has no URN lookup and compares with the reporting LA
#       instead. Only K3 rows with a URN.
#   SW12STG2 (Episodes)  for an episode ending care (REC not X1) the validator wants *every*
#       social worker episode of the child in the return to start by the day care ended, so a
#       child who comes back into care later in the year (with later workers) is always
#       flagged. Artefact only where a social worker episode does start by that day and the
#       child starts a new period of care (RNE S) after it in the same return.
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

import pandas as pd

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
    flagged = {}  # (code, table) -> CSV row positions flagged
    for table, df in v.ds_results.items():
        if not hasattr(df, "columns"):
            continue
        for col in df.columns:
            if str(col).startswith("ERR_"):
                mask = df[col].fillna(False).astype(bool).to_numpy()
                if mask.any():
                    flagged[(col[4:], table)] = [i for i, m in enumerate(mask) if m]
    return rs, flagged, v.fails, registry


def csv(year, name):
    f = drop / "ssda903" / str(year) / f"{name}.csv"
    return pd.read_csv(f, dtype=str, keep_default_na=False) if f.exists() else pd.DataFrame()


def artefacts(year, rs, code, table, rows):
    """How many of the flagged CSV rows meet the documented artefact reason (header)."""
    names = {"OC3": "oc3", "Header": "header", "Episodes": "episodes"}
    if table not in names:
        return 0
    df = csv(year, names[table]).iloc[rows]
    if code in ("1001", "1002") and table == "OC3":
        earlier = pd.concat([csv(y, "episodes") for y in range(2000, year - 1)
                             if (drop / "ssda903" / str(y)).exists()] or [pd.DataFrame()])
        cared = set(earlier.loc[~earlier["LS"].isin(["V3", "V4"]), "CHILD"]) if len(earlier) else set()
        return int(df["CHILD"].isin(cared).sum())
    if code == "202" and table == "Header":
        last = csv(year - 1, "header").set_index("CHILD")["SEX"]
        pairs = zip(df["CHILD"].map(last), df["SEX"])
        return sum((a, b) in (("1", "M"), ("2", "F")) for a, b in pairs)
    if code == "146" and table == "Episodes" and rs == "lac2024_25":
        return int((df["PLACE"] == "K3").sum())
    if code == "503F" and table == "Episodes":
        last = csv(year - 1, "episodes")
        open_last = last[last["DEC"] == ""].set_index("CHILD")
        n = 0
        for r in df.itertuples():
            lr = open_last.loc[[r.CHILD]] if r.CHILD in open_last.index else None
            n += bool(r.PLACE in ("H5", "K3") and r.URN and lr is not None
                      and (lr["PLACE"] == "H5").all() and (lr["URN"] == "").all())
        return n
    if code == "218" and table == "Episodes" and rs >= "lac2025_26":
        return int((df["LS"].isin(["V3", "V4"]) & (df["URN"] == "") & (df["PL_POST"] == "")).sum())
    if code == "241" and table == "Episodes":
        return int(((df["PLACE"] == "K3") & (df["URN"] != "")).sum())
    if code == "SW12STG2" and table == "Episodes":
        eps, sw = csv(year, "episodes"), csv(year, "sw_episodes")
        day = lambda s: pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")
        n = 0
        for r in df.itertuples():
            if r.REC in ("", "X1") or not r.DEC:
                continue
            dec = day(r.DEC)
            starts = day(sw.loc[sw["CHILD"] == r.CHILD, "SW_DECOM"])
            again = eps[(eps["CHILD"] == r.CHILD) & (eps["RNE"] == "S")]
            n += bool((starts <= dec).any() and (day(again["DECOM"]) > dec).any())
        return n
    return 0


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
    return (getattr(rule, "message", "") or "")[:90]


total_err = total_art = total_q = 0
for year in years:
    rs, flagged, fails, reg = lac(year)
    lines, n_err, n_art = [], 0, 0
    for (code, table), rows in sorted(flagged.items(), key=lambda x: -len(x[1])):
        art = artefacts(year, rs, code, table, rows)
        n_art += art
        n_err += len(rows) - art
        lines.append(f"   {code:>10} {table:12} {len(rows):5} {art:5} {len(rows) - art:5}  "
                     f"{message(reg, code)}")
    total_err += n_err
    total_art += n_art
    print(f"== SSDA903 {year} ({rs}): {n_err} errors, {n_art} validator artefacts"
          + (f"; rules failed to run: {fails}" if fails else ""))
    if lines:
        print(f"   {'rule':>10} {'table':12} {'rows':>5} {'art':>5} {'err':>5}")
        print("\n".join(lines))
    if (drop / "cin" / f"{year}.xml").exists():
        rs, counts, reg = cin(year)
        errs = {c: k for c, k in counts.items() if not c.endswith("Q")}
        queries = {c: k for c, k in counts.items() if c.endswith("Q")}
        total_err += sum(errs.values())
        total_q += sum(queries.values())
        print(f"== CIN {year} ({rs}): {sum(errs.values())} errors, "
              f"{sum(queries.values())} queries")
        for code, k in sorted(counts.items(), key=lambda x: (x[0].endswith("Q"), -x[1])):
            kind = "query" if code.endswith("Q") else "ERROR"
            print(f"   {code:>10} {kind:5} {k:6}  {message(reg, code)}")
print(f"TOTAL {total_err} errors, {total_art} validator artefacts (903), {total_q} CIN queries")
sys.exit(1 if total_err else 0)
PY
