"""CIN census XML: one file per collection year, children in need at any point in the year."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from . import trust as T
from .simulate import Referral, Trust


def cp_reviews(plan, cut: int, rnd: random.Random) -> list[int]:
    """CP reviews: first within 3 months of the conference, then every 6 months."""
    out = []
    end = plan.end if plan.end is not None else cut
    t = plan.start + rnd.randint(70, 90)
    while t <= min(end, cut):
        out.append(t)
        t += rnd.randint(160, 182)
    return out


def write_cin(trust: Trust, out: Path, counts: dict) -> None:
    cal, as_of, ids = trust.cal, trust.as_of, trust.ids
    iso = cal.s_iso
    folder = out / "cin"
    folder.mkdir(parents=True, exist_ok=True)
    last_year = T.collection_year(dt.date.fromordinal(as_of))
    by_child: dict[int, list[Referral]] = {}
    for r in trust.referrals:
        by_child.setdefault(r.child.idx, []).append(r)
    people = trust.people.children
    # CP reviews drawn once per plan so every year's file agrees.
    review_rnd = random.Random(trust.review_seed)
    reviews = {}
    for r in trust.referrals:
        for plan in r.cpps:
            reviews[id(plan)] = cp_reviews(plan, as_of, review_rnd)
    # Children in ID order once, with the span their referrals cover (None: one still open),
    # so each year visits only the children open in it.
    order = sorted(by_child, key=lambda i: ids[i])
    spans = {}
    for idx, refs in by_child.items():
        closes = [r.close for r in refs]
        last = None if None in closes else max(closes)
        spans[idx] = (min(r.date for r in refs), last)
    for year in range(T.FIRST_YEAR, last_year + 1):
        ys, ye = (d.toordinal() for d in T.year_bounds(year))
        cut = min(ye, as_of)
        # written as it goes: one document per year, never held whole
        with open(folder / f"{year}.xml", "w", encoding="utf-8") as f:
            f.write(
                '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header>\n<CollectionDetails>\n'
                f"<Collection>CIN</Collection>\n<Year>{year}</Year>\n"
                f"<ReferenceDate>{iso(ye)}</ReferenceDate>\n</CollectionDetails>\n<Source>\n"
                f"<SourceLevel>L</SourceLevel>\n<LEA>{T.LA_CODE}</LEA>\n"
                "<SoftwareCode>SCST demo Trust</SoftwareCode>\n<Release>1</Release>\n"
                f"<SerialNo>001</SerialNo>\n<DateTime>{iso(cut)}T02:00:00</DateTime>\n</Source>\n"
                "</Header>\n<Children>\n"
            )
            n_children = n_refs = 0

            def sex(code: int, year: int = year) -> str:
                # The census called it GenderCurrent until 2023-24 and Sex from 2024-25.
                if year <= 2024:
                    return f"<GenderCurrent>{code}</GenderCurrent>\n<Sex>{code}</Sex>\n"
                # and from 2024-25 the codes are M / F / U (DfE rule 4180)
                return f"<Sex>{'M' if code == 1 else 'F' if code == 2 else 'U'}</Sex>\n"

            for idx in order:
                first, last = spans[idx]
                if first > cut or (last is not None and last < ys):
                    continue
                refs = [
                    r for r in by_child[idx] if r.date <= cut and (r.close is None or r.close >= ys)
                ]
                if not refs:
                    continue
                c = people[idx]
                n_children += 1
                b5 = T.add_years(c.dob, 5)
                if c.upn and b5 <= cut:
                    upn = f"<UPN>{c.upn}</UPN>\n"
                else:
                    upn = f"<UPNunknown>{'UN1' if b5 > cut else 'UN2'}</UPNunknown>\n"
                dis = (
                    "".join(f"<Disability>{d}</Disability>" for d in c.disab)
                    or "<Disability>NONE</Disability>"
                )
                f.write(
                    f"<Child>\n<ChildIdentifiers>\n<LAchildID>{ids[idx]}</LAchildID>\n{upn}"
                    f"<PersonBirthDate>{iso(c.dob)}</PersonBirthDate>\n{sex(c.sex)}"
                    f"</ChildIdentifiers>\n<ChildCharacteristics>\n<Ethnicity>{c.ethnic}</Ethnicity>\n"
                    f"<Disabilities>{dis}</Disabilities>\n</ChildCharacteristics>\n"
                )
                for r in refs:
                    n_refs += 1
                    f.write(_details(r, ys, cut, iso, reviews))
                f.write("</Child>\n")
            f.write("</Children>\n</Message>\n")
        counts["cin/children"] = counts.get("cin/children", 0) + n_children
        counts["cin/referrals"] = counts.get("cin/referrals", 0) + n_refs


def _details(r: Referral, ys: int, cut: int, iso, reviews: dict) -> str:
    """One CINdetails as the year's return holds it: modules still open at the start of the
    year or starting in it; dates after the year's end left blank."""
    closed = r.close is not None and r.close <= cut
    x = [
        f"<CINdetails>\n<CINreferralDate>{iso(r.date)}</CINreferralDate>\n"
        f"<ReferralSource>{r.source}</ReferralSource>\n"
        f"<PrimaryNeedCode>{r.need}</PrimaryNeedCode>\n"
    ]
    if closed:
        x.append(
            f"<CINclosureDate>{iso(r.close)}</CINclosureDate>\n"
            f"<ReasonForClosure>{r.reason}</ReasonForClosure>\n"
        )
    if r.a_start is not None and r.a_start <= cut and (r.a_auth is None or r.a_auth >= ys):
        done = r.a_auth is not None and r.a_auth <= cut
        x.append(
            f"<Assessments>\n<AssessmentActualStartDate>{iso(r.a_start)}"
            "</AssessmentActualStartDate>\n"
        )
        if done:
            f = "".join(f"<AssessmentFactors>{k}</AssessmentFactors>" for k in r.factors)
            x.append(
                f"<AssessmentAuthorisationDate>{iso(r.a_auth)}</AssessmentAuthorisationDate>\n"
                f"<FactorsIdentifiedAtAssessment>{f}</FactorsIdentifiedAtAssessment>\n"
            )
        x.append("</Assessments>\n")
    for s, e in r.plans:
        if s > cut or (e is not None and e < ys):
            continue
        x.append(f"<CINPlanDates>\n<CINPlanStartDate>{iso(s)}</CINPlanStartDate>\n")
        if e is not None and e <= cut:
            x.append(f"<CINPlanEndDate>{iso(e)}</CINPlanEndDate>\n")
        x.append("</CINPlanDates>\n")
    for s, target, icpc, not_req in r.s47:
        if s > cut or (icpc is not None and icpc < ys) or (icpc is None and target < ys):
            continue
        x.append(
            f"<Section47>\n<S47ActualStartDate>{iso(s)}</S47ActualStartDate>\n"
            f"<InitialCPCtarget>{iso(target)}</InitialCPCtarget>\n"
        )
        if icpc is not None and icpc <= cut:
            x.append(f"<DateOfInitialCPC>{iso(icpc)}</DateOfInitialCPC>\n")
        x.append(
            f"<ICPCnotRequired>{'true' if not_req else 'false'}</ICPCnotRequired>\n</Section47>\n"
        )
    x.append(f"<ReferralNFA>{'true' if r.nfa else 'false'}</ReferralNFA>\n")
    for plan in r.cpps:
        if plan.start > cut or (plan.end is not None and plan.end < ys):
            continue
        x.append(f"<ChildProtectionPlans>\n<CPPstartDate>{iso(plan.start)}</CPPstartDate>\n")
        ended = plan.end is not None and plan.end <= cut
        if ended:
            x.append(f"<CPPendDate>{iso(plan.end)}</CPPendDate>\n")
        x.append(
            f"<InitialCategoryOfAbuse>{plan.cat0}</InitialCategoryOfAbuse>\n"
            f"<LatestCategoryOfAbuse>{plan.cat1}</LatestCategoryOfAbuse>\n"
            f"<NumberOfPreviousCPP>{plan.prev}</NumberOfPreviousCPP>\n<Reviews>"
        )
        for rv in reviews[id(plan)]:
            if ys <= rv <= cut and (not ended or rv <= plan.end):
                x.append(f"<CPPreviewDate>{iso(rv)}</CPPreviewDate>")
        x.append("</Reviews>\n</ChildProtectionPlans>\n")
    x.append("</CINdetails>\n")
    return "".join(x)
