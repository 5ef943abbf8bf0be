"""SSDA903 CSV files: one folder per collection year, exactly the DfE headers."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from scst_metrics.extracts.schema import SSDA903_TABLES

from . import trust as T
from .simulate import Trust

HEADERS = {t.label: t.header for t in SSDA903_TABLES}
FILES = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "Missing": "missing",
    "AD1": "ad1",
    "PlacedAdoption": "placed_adoption",
    "PrevPerm": "prev_perm",
    "SWEpisodes": "sw_episodes",
}
# Placements that carry no Ofsted URN (DfE rule 222); H5 semi-independent placements have
# one once supported accommodation was registered with Ofsted (episodes running on or after
# 29 October 2023, rules 230/218), and so does K3, supported accommodation, which replaces H5
# from the 2024-25 return. Z11-Z14 (from 2025-26) have neither a URN nor a placement provider
# code (rules 178, 213, 222); the demo places no child in them.
NO_URN = {"P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"}
SUPPORTED = {"Z11", "Z12", "Z13", "Z14"}
H5_URN_FROM = dt.date(2023, 10, 29).toordinal()
SEMI_INDEP_RECODED_FROM = 2025  # the 2024-25 return: H5 open on 1 April 2024 is K3


def _place(pl, year: int) -> str:
    """PLACE as the year's return codes it: an H5 placement open on 1 April 2024 is K3 in the
    returns from 2024-25 on (supported accommodation; DfE rules 146, 503D)."""
    return pl.recoded if pl.recoded and year >= SEMI_INDEP_RECODED_FROM else pl.place


def _urn(ep, short: bool, place: str, year: int) -> str:
    # Short breaks (V3/V4) carry no placement location, URN included (DfE rule 214). The
    # validator's rule 218 (2024-25 on) still wants a URN for their U6 episodes: the two
    # rules cannot both pass, and docs/demo-trust.md lists 218 on V4 as the validator's.
    pl = ep.pl
    if short or place in NO_URN or place in SUPPORTED:
        return ""
    if place == "H5" and (year < 2024 or (ep.dec is not None and ep.dec < H5_URN_FROM)):
        return ""
    return pl.urn


SW_EPISODES_FROM = 2024  # social worker episodes are collected from 2023-24

# Children looked after 12 months at 31 March (OC2) with their health assessment / dental
# check up to date, %: DfE's figures for Slough (LAIT LACHealth%, LACDental%, published from
# 2018; earlier and later years hold the nearest, as trust.yearly does). 2021's dental figure
# is the pandemic year's, when dental surgeries were closed.
HEALTH_ASSESSMENT_PCT = {
    2018: 86, 2019: 96, 2020: 96, 2021: 94, 2022: 93, 2023: 96, 2024: 91, 2025: 88,
}  # fmt: skip
DENTAL_CHECK_PCT = {
    2018: 80, 2019: 83, 2020: 82, 2021: 38, 2022: 72, 2023: 80, 2024: 83, 2025: 90,
}  # fmt: skip
EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")


def _reviews(p, rnd: random.Random, cal: T.Calendar) -> list[int]:
    """LAC reviews: within 20 working days, then 3 months, then every 6 months; about 8% late
    (Slough's reviews on time ~90%+ in its board reports)."""
    out = []
    if p.shortbreak:
        return out
    t = cal.add_working_days(p.start, rnd.randint(12, 20))
    gaps = [91] + [182] * 60
    for g in gaps:
        if rnd.random() < 0.08:
            t += rnd.randint(5, 40)
        if t >= p.end:
            break
        out.append(t)
        t += g - rnd.randint(0, 14)
    return out


def write_903(trust: Trust, out: Path, sw_eps: dict, counts: dict) -> None:
    cal, rnd, as_of = trust.cal, trust.rnd, trust.as_of
    D = cal.s_dmy
    people = trust.people.children
    periods = sorted(trust.periods, key=lambda p: (p.child.idx, p.start))
    reviews = {id(p): _reviews(p, rnd, cal) for p in periods}
    last_year = T.collection_year(dt.date.fromordinal(as_of))
    ids = trust.ids
    # OC2 and OC3 are drawn from their own stream (derived from the seed, consuming nothing
    # from trust.rnd), so how they are steered cannot move anything else in the drop.
    oc_rnd = random.Random(f"oc2-oc3/{trust.review_seed}")
    # A child's previous permanence (before care) is one fact, drawn when care first starts
    # and repeated in the PrevPerm row of every later period (short breaks start one a
    # year): DfE rule 632 checks it against the first episode in each return.
    perm: dict[int, tuple[str, str, str]] = {}
    for year in range(T.FIRST_YEAR, last_year + 1):
        ys, ye = (d.toordinal() for d in T.year_bounds(year))
        cut = min(ye, as_of)
        rows: dict[str, list] = {k: [] for k in HEADERS}
        in_year: dict[int, object] = {}
        prev_perm: set[str] = set()
        for p in periods:
            if p.start > cut or p.end < ys:
                continue
            c = p.child
            cid = ids[c.idx]
            in_year[c.idx] = c
            # Missing on the 18th birthday the period of care ends on: care ceased while the
            # child was missing, which DfE codes E8 (rule 580), whatever the plan was.
            missing_at_18 = p.end == T.add_years(c.dob, 18) and any(
                me == p.end for _k, _ms, me in p.missing
            )
            for ep in p.episodes:
                if ep.decom > cut or (ep.dec is not None and ep.dec < ys):
                    continue
                closed = ep.dec is not None and ep.dec <= cut
                pl = ep.pl
                place = _place(pl, year)
                short = ep.ls in ("V3", "V4")
                # UASC have no home postcode; short breaks carry no placement location.
                home = "" if (c.uasc or short) else c.home
                rows["Episodes"].append(
                    [
                        cid,
                        D(ep.decom),
                        ep.rne,
                        ep.ls,
                        ep.cin,
                        place,
                        "" if place in SUPPORTED else pl.provider,
                        D(ep.dec) if closed else "",
                        ("E8" if missing_at_18 and ep.dec == p.end else ep.rec) if closed else "",
                        (ep.rpc or "") if closed else "",
                        home,
                        "" if short else pl.post,
                        _urn(ep, short, place, year),
                    ]
                )
            for r in reviews[id(p)]:
                if ys <= r <= cut:
                    rows["Reviews"].append([cid, D(c.dob), D(r), _review_code(rnd, r, c.dob)])
            for kind, ms, me in p.missing:
                if ys <= ms <= cut:
                    rows["Missing"].append([cid, D(c.dob), kind, D(ms), D(me) if me <= cut else ""])
            if p.adoption and ys <= p.end <= cut:
                a = p.adoption
                rows["AD1"].append(
                    [
                        cid,
                        D(c.dob),
                        D(a["DATE_INT"]),
                        D(a["DATE_MATCH"]),
                        a["FOSTER_CARE"],
                        a["NB_ADOPTR"],
                        a["SEX_ADOPTR"],
                        a["LS_ADOPTR"],
                    ]
                )
            if p.adoption and p.adoption["DATE_INT"] <= cut:
                rows["PlacedAdoption"].append([cid, D(c.dob), D(p.adoption["DATE_INT"]), "", ""])
            # every child starting care in the year, short breaks too (rule 630); one row each
            if ys <= p.start <= cut and cid not in prev_perm:
                prev_perm.add(cid)
                if c.idx not in perm:
                    perm[c.idx] = _prev_perm(rnd, c.dob, p.start)
                rows["PrevPerm"].append([cid, D(c.dob), *perm[c.idx]])
        looked_after = set(in_year)  # before the care leavers join the Header
        # OC3: care leavers around their birthdays in the year (19th-21st; from 2021 DfE also
        # collects 17th-18th, but not for those who left care on or after that birthday, which
        # is everyone the demo's Trust has, so only 19-21 are written).
        leavers = []
        for c in people:
            if not c.leaver or not c.periods:
                continue
            for b in (19, 20, 21):
                bd = T.add_years(c.dob, b)
                if ys <= bd <= cut:
                    leavers.append((ids[c.idx], D(c.dob)))
                    in_year.setdefault(c.idx, c)  # care leavers in OC3 are in the Header too
        rows["OC3"].extend(_oc3_year(oc_rnd, leavers, year))
        for idx, c in sorted(in_year.items()):
            cid = ids[idx]
            mother = ""
            # MOTHER only for girls looked after in the year (DfE rule 628: not for care
            # leavers who are in the return only for OC3).
            if c.sex == 2 and not c.shortbreak and idx in looked_after:
                mother = "0"
            b5 = T.add_years(c.dob, 5)
            upn = c.upn if (c.upn and b5 <= cut) else ("UN1" if b5 > cut else "UN2")
            if c.uasc and not c.upn:
                upn = "UN2"
            # SEX: 1/2 until 2023-24, M/F from 2024-25 (DfE rule 101 of each year)
            sex = str(c.sex) if year < 2025 else {1: "M", 2: "F"}.get(c.sex, "U")
            rows["Header"].append([cid, sex, D(c.dob), c.ethnic, upn, mother, ""])
            if c.uasc and idx in looked_after:
                # DUC is the date UASC status ceases: the 18th birthday, given from the first
                # return on even while it is still to come (DfE rule 205B wants last year's DUC
                # to be the 18th birthday for a child UASC in both years; rule 304); former
                # UASC who are only care leavers this year are not in the UASC table (rules
                # 104, 1014).
                rows["UASC"].append([cid, sex, D(c.dob), D(T.add_years(c.dob, 18))])
        # OC2: looked after continuously for 12 months or more at 31 March. DfE's definition
        # (rule 191, and the validator's CONTINUOUSLY_LOOKED_AFTER): no start of care after 1
        # April and no end of care before 31 March -- so a period that started on 1 April
        # itself (365 days by 31 March) is in, and so is one ending on 31 March (`>=`).
        if ye <= as_of:
            oc2 = [p.child for p in periods if not p.shortbreak and p.start <= ys and p.end >= ye]
            # Health assessments and dental checks up to date: exactly the published share of
            # the year's OC2 children (rounded), the children who have them drawn at random.
            n = len(oc2)
            assessed = _chosen(oc_rnd, n, T.yearly(HEALTH_ASSESSMENT_PCT, year))
            dental = _chosen(oc_rnd, n, T.yearly(DENTAL_CHECK_PCT, year))
            for i, c in enumerate(oc2):
                row = _oc2(oc_rnd, ids[c.idx], c.dob, ye, cal, i in assessed, i in dental)
                rows["OC2"].append(row)
        if year >= SW_EPISODES_FROM:
            for idx in sorted(in_year):
                eps = [
                    x for x in sw_eps.get(idx, ()) if x[1] <= cut and (x[2] is None or x[2] >= ys)
                ]
                for k, (w, s, e, reason, _left) in enumerate(eps):
                    # A social worker episode ends only when the worker changes: the child's
                    # last one in the return stays open, also when care ended in the year
                    # (DfE rule SW17: the latest episode has no end date).
                    closed = e is not None and e <= cut and k < len(eps) - 1
                    rows["SWEpisodes"].append(
                        [ids[idx], D(people[idx].dob), w, D(s), D(e) if closed else "", reason]
                    )
        folder = out / "ssda903" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for label, header in HEADERS.items():
            data = rows[label]
            data.sort(key=lambda r: (r[0], _sortkey(r, label)))
            with open(folder / f"{FILES[label]}.csv", "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(data)
            counts[f"ssda903/{label}"] = counts.get(f"ssda903/{label}", 0) + len(data)


def _sortkey(row: list, label: str) -> tuple:
    def k(s: str) -> str:
        return s[6:] + s[3:5] + s[:2] if len(s) == 10 else s

    if label == "Episodes":
        return (k(row[1]),)
    if label in ("Reviews",):
        return (k(row[2]),)
    if label == "Missing":
        return (k(row[3]),)
    if label == "SWEpisodes":
        return (k(row[3]),)
    if label == "PlacedAdoption":
        return (k(row[2]),)
    return ()


def _prev_perm(rnd: random.Random, dob: int, start_day: int) -> tuple[str, str, str]:
    """PREV_PERM, LA_PERM, DATE_PERM for a child whose care first starts on start_day."""
    pp = "Z1" if rnd.random() < 0.93 else rnd.choice(("P1", "P2", "P3"))
    if pp == "Z1":
        return pp, "", ""
    d0 = dt.date.fromordinal(max(dob + 200, start_day - rnd.randint(300, 1500)))
    # DATE_PERM with unknown parts as zz, read as the latest date they allow, must still be
    # before care started (DfE rule 632): the month as well when the order was made in the
    # year care started; none if it was not before.
    start = dt.date.fromordinal(start_day)
    nxt = dt.date(d0.year + (d0.month == 12), d0.month % 12 + 1, 1)
    if d0.year < start.year:
        return pp, "871", f"zz/zz/{d0.year}"
    if nxt <= start:
        return pp, "871", f"zz/{d0.month:02d}/{d0.year}"
    return "Z1", "", ""


def _review_code(rnd: random.Random, day: int, dob: int) -> str:
    if day - dob < 4 * 365.25:
        return "PN0"  # under 4
    # Most children speak for themselves or through an advocate (DfE guidance PN1-PN7).
    return rnd.choices(("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"), (55, 12, 10, 8, 6, 5, 4))[
        0
    ]


def _chosen(rnd: random.Random, n: int, pct: float) -> set[int]:
    """Which of n rows are "yes" so that the share is pct % (rounded to whole rows)."""
    return set(rnd.sample(range(n), min(n, round(pct * n / 100))))


def _oc2(
    rnd: random.Random,
    cid: str,
    dob: int,
    ye: int,
    cal: T.Calendar,
    assessed: bool,
    dental: bool,
) -> list:
    age = (ye - dob) / 365.25
    sdq, reason = "", ""
    if 4 <= age < 18:
        # SDQ returned for ~80% (England ~75-80%); mean score about 14.
        if rnd.random() < 0.8:
            sdq = str(min(40, max(0, int(rnd.gauss(14, 7)))))
        else:
            # SDQ1 is "under 4 or over 16" (DfE rule 157): not a reason at these ages
            reason = rnd.choice(("SDQ2", "SDQ3", "SDQ4", "SDQ5"))
    convicted = ("1" if rnd.random() < 0.03 else "0") if age >= 10 else ""
    # Immunisations mostly up to date (England ~85-90%); health assessments and dental checks
    # as chosen for the year's published share; HEALTH_CHECK (development checks) is for
    # under-5s only.
    health = ("1" if rnd.random() < 0.9 else "0") if age < 5 else ""
    imm = "1" if rnd.random() < 0.88 else "0"
    teeth = "1" if dental else "0"
    assess = "1" if assessed else "0"
    sub = ("1" if rnd.random() < 0.05 else "0") if age >= 10 else "0"
    rec = ("1" if rnd.random() < 0.6 else "0") if sub == "1" else ""
    off = ("1" if rnd.random() < 0.8 else "0") if rec == "0" else ""
    return [cid, cal.s_dmy(dob), sdq, reason, convicted, health, imm, teeth, assess, sub, rec, off]


def _oc3_year(rnd: random.Random, leavers: list[tuple[str, str]], year: int) -> list[list]:
    """The year's OC3 rows (leavers: CHILD, DOB), steered to Slough's published shares of care
    leavers aged 19-21 in education, employment or training and in suitable accommodation.

    DfE's shares are of all care leavers aged 19-21 except those who died or returned home to
    their parents for 6 months or more (IN_TOUCH DIED / RHOM); a leaver not in touch counts
    as neither EET nor suitably housed. About 90% are in touch (England 2024: 91%). With
    20-40 leavers a year one leaver is 2.5-5 points, so besides rounding the count the
    year's few RHOM (England: 1-2% of care leavers; 0-2 here) are placed so that both
    shares come within a point of the published ones where any such split exists.
    """
    n = len(leavers)
    if n == 0:
        return []
    p_eet = T.yearly(T.CARE_LEAVER_EET_PCT, year)
    p_acc = T.yearly(T.CARE_LEAVER_ACCOM_PCT, year)

    def split(d: int) -> tuple[float, int, int]:
        den = n - d
        k_e, k_a = round(p_eet * den / 100), round(p_acc * den / 100)
        gap = max(abs(100 * k_e / den - p_eet), abs(100 * k_a / den - p_acc))
        return gap, k_e, k_a

    tries = [(split(d), d) for d in range(0, min(2, n - 1) + 1)]
    (_gap, k_eet, k_acc), d = next(
        ((g, d) for g, d in tries if g[0] <= 1.0), min(tries, key=lambda t: (t[0][0], t[1]))
    )
    order = list(range(n))
    rnd.shuffle(order)
    rhom = set(order[:d])
    touch = {i: rnd.choices(("YES", "NO", "REFU", "NREQ"), (90, 4, 3, 3))[0] for i in order[d:]}
    # enough in touch for the shares (everyone EET or housed is someone in touch)
    for i in order[d:]:
        if sum(v == "YES" for v in touch.values()) >= max(k_eet, k_acc):
            break
        touch[i] = "YES"
    yes = [i for i in order[d:] if touch[i] == "YES"]
    eet = set(rnd.sample(yes, k_eet))
    suitable = set(rnd.sample(yes, k_acc))
    out = []
    for i, (cid, dob) in enumerate(leavers):
        if i in rhom:
            # died / returned home: no activity or accommodation (DfE rule 153)
            out.append([cid, dob, "RHOM", "", ""])
            continue
        if touch[i] != "YES":
            out.append([cid, dob, touch[i], "0", "0"])
            continue
        activ = rnd.choice(EET) if i in eet else rnd.choice(("G4", "G5", "G6"))
        # S and X exist only as unsuitable (S2, X2): DfE rule 133's code list.
        ok = i in suitable
        letter = rnd.choice("BCDEGHKRTUVWYZ" if ok else "BCDEGHKRSTUVWXYZ")
        out.append([cid, dob, "YES", activ, letter + ("1" if ok else "2")])
    return out
