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
                        ep.rec if closed else "",
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
                pp = "Z1" if rnd.random() < 0.93 else rnd.choice(("P1", "P2", "P3"))
                if pp == "Z1":
                    rows["PrevPerm"].append([cid, D(c.dob), pp, "", ""])
                else:
                    d0 = dt.date.fromordinal(max(c.dob + 200, p.start - rnd.randint(300, 1500)))
                    # DATE_PERM with unknown parts as zz, read as the latest date they allow,
                    # must still be before care started (DfE rule 632): the month as well when
                    # the order was made in the year care started; none if it was not before.
                    start = dt.date.fromordinal(p.start)
                    nxt = dt.date(d0.year + (d0.month == 12), d0.month % 12 + 1, 1)
                    if d0.year < start.year:
                        rows["PrevPerm"].append([cid, D(c.dob), pp, "871", f"zz/zz/{d0.year}"])
                    elif nxt <= start:
                        date = f"zz/{d0.month:02d}/{d0.year}"
                        rows["PrevPerm"].append([cid, D(c.dob), pp, "871", date])
                    else:
                        rows["PrevPerm"].append([cid, D(c.dob), "Z1", "", ""])
        looked_after = set(in_year)  # before the care leavers join the Header
        # OC3: care leavers around their birthdays in the year (19th-21st; from 2021 DfE also
        # collects 17th-18th, but not for those who left care on or after that birthday, which
        # is everyone the demo's Trust has, so only 19-21 are written).
        for c in people:
            if not c.leaver or not c.periods:
                continue
            for b in (19, 20, 21):
                bd = T.add_years(c.dob, b)
                if ys <= bd <= cut:
                    rows["OC3"].append(_oc3(rnd, ids[c.idx], D(c.dob), year))
                    in_year.setdefault(c.idx, c)  # care leavers in OC3 are in the Header too
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
                # DUC is the date UASC status ceases: the 18th birthday, given from the start
                # (DfE rules 205A-D, 304); former UASC who are only care leavers this year are
                # not in the UASC table (rules 104, 1014).
                b18 = T.add_years(c.dob, 18)
                # (left blank while it is still after the extract date: no future dates)
                rows["UASC"].append([cid, sex, D(c.dob), D(b18) if b18 <= as_of else ""])
        # OC2: looked after continuously for 12 months or more at 31 March.
        if ye <= as_of:
            for p in periods:
                if p.shortbreak or not (p.start <= T.add_years(ye, -1) - 0 and p.end > ye):
                    continue
                c = p.child
                rows["OC2"].append(_oc2(rnd, ids[c.idx], c.dob, ye, cal))
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


def _review_code(rnd: random.Random, day: int, dob: int) -> str:
    if day - dob < 4 * 365.25:
        return "PN0"  # under 4
    # Most children speak for themselves or through an advocate (DfE guidance PN1-PN7).
    return rnd.choices(("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"), (55, 12, 10, 8, 6, 5, 4))[
        0
    ]


def _oc2(rnd: random.Random, cid: str, dob: int, ye: int, cal: T.Calendar) -> list:
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
    # Health assessments, immunisations and dental checks mostly up to date (England ~90%,
    # ~85%, ~85%); HEALTH_CHECK (development checks) is for under-5s only.
    health = ("1" if rnd.random() < 0.9 else "0") if age < 5 else ""
    imm = "1" if rnd.random() < 0.88 else "0"
    teeth = "1" if rnd.random() < 0.86 else "0"
    assess = "1" if rnd.random() < 0.91 else "0"
    sub = ("1" if rnd.random() < 0.05 else "0") if age >= 10 else "0"
    rec = ("1" if rnd.random() < 0.6 else "0") if sub == "1" else ""
    off = ("1" if rnd.random() < 0.8 else "0") if rec == "0" else ""
    return [cid, cal.s_dmy(dob), sdq, reason, convicted, health, imm, teeth, assess, sub, rec, off]


def _oc3(rnd: random.Random, cid: str, dob: str, year: int) -> list:
    # About 90% of care leavers are in touch (England 2024: 91%).
    in_touch = rnd.choices(("YES", "NO", "REFU", "NREQ"), (90, 4, 3, 3))[0]
    if in_touch != "YES":
        return [cid, dob, in_touch, "0", "0"]
    eet = rnd.random() * 100 < T.yearly(T.CARE_LEAVER_EET_PCT, year) / 0.9
    activ = (
        rnd.choice(("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"))
        if eet
        else rnd.choice(("G4", "G5", "G6"))
    )
    suitable = rnd.random() * 100 < T.yearly(T.CARE_LEAVER_ACCOM_PCT, year) / 0.9
    # S and X exist only as unsuitable (S2, X2): DfE rule 133's code list.
    letter = rnd.choice("BCDEGHKRTUVWYZ" if suitable else "BCDEGHKRSTUVWXYZ")
    accom = letter + ("1" if suitable else "2")
    return [cid, dob, in_touch, activ, accom]
