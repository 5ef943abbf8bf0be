"""The Trust's own records: hubs, social workers, allocations, visits, fostering, education."""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import random
from bisect import bisect_right
from pathlib import Path

import numpy as np

from scst_metrics.extracts.schema import LOCAL_TABLES

from . import trust as T
from .lac import LA_FOSTERING_URN, Placement
from .simulate import Trust

HEADERS = {t.name: t.header for t in LOCAL_TABLES}

# Social worker tenure: agency workers stay about 9 months, permanent staff about 2 years
# (Slough turnover ~15-40% a year). Given a target agency share s of workers in post, the share
# of starters who are agency is s*Tp / (s*Tp + (1-s)*Ta).
TENURE_AGENCY, TENURE_PERM = 270.0, 800.0
PERM_FTE = 0.8 + 0.2 * (0.8 + 0.6 + 0.5) / 3  # 80% full time, the rest 0.8/0.6/0.5
DEREG_RATE = 0.18  # in-house fostering households deregistered per household-year


def allocation_intervals(trust: Trust) -> list[tuple[int, str, int, int | None, str]]:
    """(child idx, hub, start, end or None, role) from each child's roles, split at the
    hubs' go-live; the Trust's records start at takeover."""
    t0, as_of = trust.t0, trust.as_of
    live = T.HUBS_LIVE.toordinal()
    out = []
    for c in trust.people.children:
        roles = [(d, r) for d, r in c.roles if d <= as_of]
        # keep the last role set on each day, in day order
        clean: list[tuple[int, str | None]] = []
        for d, r in roles:
            d = max(d, clean[-1][0]) if clean else d
            if clean and clean[-1][0] == d:
                clean[-1] = (d, r)
            else:
                clean.append((d, r))
        for i, (d, role) in enumerate(clean):
            if role is None:
                continue
            end = clean[i + 1][0] - 1 if i + 1 < len(clean) else None
            s = max(d, t0)
            if end is not None and end < s:
                continue
            pieces = []
            if s < live and (end is None or end >= live):
                pieces = [(s, live - 1), (live, end)]
            else:
                pieces = [(s, end)]
            for ps, pe in pieces:
                hub = T.hub_for(role, ps, c.slot)
                if out and out[-1][0] == c.idx and out[-1][1] == hub and out[-1][3] == ps - 1:
                    prev = out[-1]
                    out[-1] = (prev[0], hub, prev[2], pe, role)
                else:
                    out.append((c.idx, hub, ps, pe, role))
    return out


class Workforce:
    def __init__(self, trust: Trust, intervals: list):
        self.trust = trust
        rnd = trust.rnd
        as_of = trust.as_of
        last_year = T.collection_year(dt.date.fromordinal(as_of))
        years = range(T.FIRST_YEAR, last_year + 1)
        # Average cases per hub per workforce year (collection years: the DfE census at 30
        # September sits in the middle of each).
        load: dict[tuple[str, int], float] = {}
        bounds = [(y, *(d.toordinal() for d in T.year_bounds(y))) for y in years]
        hubs_open = {
            h.hub_id: (h.opened.toordinal(), h.closed.toordinal() if h.closed else as_of)
            for h in T.HUBS
        }
        for _idx, hub, s, e, _role in intervals:
            e2 = as_of if e is None else e
            for y, ys, ye in bounds:
                ov = min(e2, ye) - max(s, ys) + 1
                if ov > 0:
                    # average over the part of the year the hub was open and simulated (the
                    # hubs went live in August 2016; the as-of year is partial)
                    o, c = hubs_open[hub]
                    days = min(ye, as_of, c) - max(ys, o) + 1
                    load[(hub, y)] = load.get((hub, y), 0.0) + ov / days
        # Cases each hub holds on the workforce census day (30 September) of each year.
        census = {y: dt.date(T.census_year(y), 9, 30).toordinal() for y in years}
        counted = {y: c for y, c in census.items() if trust.t0 <= c <= as_of}
        on_census: dict[tuple[str, int], int] = {}
        for _idx, hub, s, e, _role in intervals:
            for y, c in counted.items():
                if s <= c and (e is None or e >= c):
                    on_census[(hub, y)] = on_census.get((hub, y), 0) + 1
        self.slots: dict[tuple[str, int], int] = {}
        for y in years:
            # Caseload target: Slough's published average caseload per FTE at the workforce
            # census in that year; FTE per worker from the agency share wanted then (agency
            # staff full time, permanent staff PERM_FTE on average).
            target = T.yearly(T.SW_CASELOAD, T.census_year(y))
            s_fte = T.yearly(T.SW_AGENCY_PCT, T.census_year(y)) / 100
            heads = PERM_FTE * s_fte / (1 - s_fte + PERM_FTE * s_fte)
            per_fte = target * (heads + (1 - heads) * PERM_FTE)
            for h in T.HUBS:
                cases = load.get((h.hub_id, y), 0.0)
                if cases > 0 and (h.hub_id, y) not in on_census:
                    self.slots[(h.hub_id, y)] = max(1, round(cases / per_fte))
            # Hubs open on the census day: the Trust's posts for its cases that day, shared
            # out by each hub's cases (largest remainder), so the hubs' roundings do not add
            # up to a worker or two more or fewer than the Trust needs.
            held = {h: n for (h, yy), n in on_census.items() if yy == y}
            if not held:
                continue
            total = sum(held.values())
            posts = max(len(held), round(total / per_fte))
            quota = {h: max(1.0, posts * n / total) for h, n in held.items()}
            share = {h: int(q) for h, q in quota.items()}
            left = posts - sum(share.values())
            for h in sorted(quota, key=lambda h: (share[h] - quota[h], h))[: max(0, left)]:
                share[h] += 1
            for h, n in share.items():
                self.slots[(h, y)] = n
        self.workers: list[list] = []  # worker_id, hub, fte, contract, start, end
        self.slot_workers: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        legacy_pool: list[str] = []
        next_id = [10001]

        def new_id() -> str:
            w = f"SW{next_id[0]}"
            next_id[0] += 1
            return w

        hubs = sorted(T.HUBS, key=lambda h: (h.closed is None, h.hub_id))  # legacy first
        # Posts are filled in date order across the whole Trust, so each hire can look at the
        # agency share of the workforce in post that day and steer it towards the published
        # rate (a few dozen workers drift a long way from it otherwise).
        hires: list[tuple[int, int, str, int, int]] = []  # (day, order, hub, slot, stretch end)
        closes = {h.hub_id: h.closed for h in T.HUBS}
        for h in hubs:
            max_slots = max((self.slots.get((h.hub_id, y), 0) for y in years), default=0)
            for k in range(max_slots):
                # the slot's active stretches: consecutive years in which the hub needs it
                stretches: list[list[int]] = []
                for y in years:
                    ys, ye = (d.toordinal() for d in T.year_bounds(y))
                    ys = max(ys, h.opened.toordinal())
                    ye = min(ye, h.closed.toordinal() if h.closed else ye, as_of)
                    if ys > ye or self.slots.get((h.hub_id, y), 0) <= k:
                        continue
                    if stretches and stretches[-1][1] == ys - 1:
                        stretches[-1][1] = ye
                    else:
                        stretches.append([ys, ye])
                self.slot_workers[(h.hub_id, k)] = []
                for a, b in stretches:
                    hires.append((a, len(hires), h.hub_id, k, b))
        heapq.heapify(hires)
        in_post: list[tuple[int, float, bool]] = []  # (end, fte, agency) heap
        fte_all = fte_agency = 0.0
        order = len(hires)
        while hires:
            t, _o, hub, k, b = heapq.heappop(hires)
            while in_post and in_post[0][0] < t:
                _e, f, ag = heapq.heappop(in_post)
                fte_all -= f
                fte_agency -= f if ag else 0.0
            # Hire for the mix wanted about six months on (the middle of an agency tenure).
            y = T.collection_year(dt.date.fromordinal(t + 180))
            # The published rate is a share of FTE; permanent staff average PERM_FTE, agency
            # staff work full time: convert to a share of heads.
            s_fte = T.yearly(T.SW_AGENCY_PCT, T.census_year(y)) / 100
            share = PERM_FTE * s_fte / (1 - s_fte + PERM_FTE * s_fte)
            # Tenures are cut where the post's stretch ends, which shortens the long
            # permanent tenures more: use the expected cut tenures.
            left = max(1, b - t)
            ta = TENURE_AGENCY * (1 - math.exp(-left / TENURE_AGENCY))
            tp = TENURE_PERM * (1 - math.exp(-left / TENURE_PERM))
            p_a = share * tp / (share * tp + (1 - share) * ta)
            if fte_all > 0:  # feedback: pull the share in post back to the target
                p_a += 2.0 * (s_fte - fte_agency / fte_all)
            agency = rnd.random() < min(1.0, max(0.0, p_a))
            perm_fte = 1.0 if rnd.random() < 0.8 else rnd.choice((0.8, 0.6, 0.5))
            census = _census_after(t)
            if census - t <= CENSUS_RUN_IN:
                # The months before the workforce census (30 September): a post is filled
                # with whichever contract brings the agency share of those in post on the
                # census day nearer the published rate (DfE counts FTE on that day).
                c_share = T.yearly(T.SW_AGENCY_PCT, dt.date.fromordinal(census).year) / 100
                stay = [(f, ag) for e_, f, ag in in_post if e_ >= census]
                all_ = sum(f for f, _ag in stay)
                ag_ = sum(f for f, ag in stay if ag)
                gap_a = abs((ag_ + 1.0) / (all_ + 1.0) - c_share)
                gap_p = abs(ag_ / (all_ + perm_fte) - c_share)
                agency = gap_a < gap_p
            mean = TENURE_AGENCY if agency else TENURE_PERM
            tenure = int(rnd.expovariate(1 / mean))
            end = min(t + max(30, tenure), b)
            if census - t <= CENSUS_RUN_IN and end < census <= b:
                end = census  # hired for the census run-in: in post on the day
            closed = closes[hub]
            if closed is None and legacy_pool and t == T.HUBS_LIVE.toordinal():
                wid = legacy_pool.pop()
            else:
                wid = new_id()
            fte = 1.0 if agency else perm_fte
            self.workers.append([wid, hub, fte, "agency" if agency else "permanent", t, end])
            self.slot_workers[(hub, k)].append((t, end, wid))
            heapq.heappush(in_post, (end, fte, agency))
            fte_all += fte
            fte_agency += fte if agency else 0.0
            if closed is not None and end == closed.toordinal() and rnd.random() < 0.7:
                legacy_pool.append(wid)
            if end < b:
                order += 1
                heapq.heappush(hires, (end + 1, order, hub, k, b))
        # close the open ends: a worker whose post runs to the as-of date is still in post
        for w in self.workers:
            if w[5] >= as_of:
                w[5] = None
        self.starts = {k: [s for s, _e, _w in v] for k, v in self.slot_workers.items()}

    def n_slots(self, hub: str, day: int) -> int:
        y = T.collection_year(dt.date.fromordinal(day))
        return self.slots.get((hub, y), 0)

    def worker_at(self, hub: str, slot: int, day: int) -> tuple[str, int] | None:
        seq = self.slot_workers.get((hub, slot))
        if not seq:
            return None
        i = bisect_right(self.starts[(hub, slot)], day) - 1
        if i < 0:
            return None
        s, e, w = seq[i]
        if day > e:
            return None
        return w, e


CENSUS_RUN_IN = 120  # days before a workforce census in which hires steer the agency share


def _census_after(day: int) -> int:
    """The next workforce census day (30 September) on or after `day`."""
    d = dt.date.fromordinal(day)
    c = dt.date(d.year, 9, 30)
    return (c if c >= d else dt.date(d.year + 1, 9, 30)).toordinal()


def allocations(trust: Trust, wf: Workforce, intervals: list) -> tuple[list, dict]:
    """Allocation rows, and social worker episodes per child (for SSDA903 SWEpisodes)."""
    rnd = trust.rnd
    as_of = trust.as_of
    rows = []
    sw_eps: dict[int, list] = {}
    lac_children = {c.idx for c in trust.people.children if c.periods or c.shortbreak}
    for idx, hub, s, e, _role in intervals:
        end = as_of if e is None else e
        cur = s
        key = rnd.randrange(1 << 30)
        while cur <= end:
            n = wf.n_slots(hub, cur)
            found = wf.worker_at(hub, key % n, cur) if n else None
            if found is None:
                # unallocated until the next worker arrives (short gaps at year ends)
                seg_end = min(end, cur)
                wid = ""
            else:
                wid, w_end = found
                seg_end = min(end, w_end)
            seg_close = None if (seg_end == end and e is None) else seg_end
            rows.append([idx, hub, wid, cur, seg_close])
            if idx in lac_children and wid:
                eps = sw_eps.setdefault(idx, [])
                # SW_REASON: why this worker took the case (DfE SWEpisodes codes).
                if not eps:
                    reason = "FCONTA"
                elif eps[-1][4]:
                    reason = "LEFTRL"
                elif cur == T.HUBS_LIVE.toordinal():
                    reason = "ORGRST"
                else:
                    reason = "CHCHAN"
                if eps and eps[-1][0] == wid and eps[-1][2] == cur - 1:
                    eps[-1][2] = seg_close
                    eps[-1][4] = found is not None and seg_end == found[1] and seg_end < end
                else:
                    eps.append(
                        [
                            wid,
                            cur,
                            seg_close,
                            reason,
                            found is not None and seg_end == found[1] and seg_end < end,
                        ]
                    )
            cur = seg_end + 1
            key = rnd.randrange(1 << 30) if found is None or seg_end == found[1] else key
    sw_eps = {
        idx: _care_sw_episodes(trust.people.children[idx], eps, as_of)
        for idx, eps in sw_eps.items()
    }
    # merge consecutive unallocated one-day pieces
    merged: list[list] = []
    for r in rows:
        if (
            merged
            and merged[-1][0] == r[0]
            and merged[-1][1] == r[1]
            and merged[-1][2] == r[2]
            and merged[-1][4] is not None
            and merged[-1][4] == r[3] - 1
        ):
            merged[-1][4] = r[4]
        else:
            merged.append(r)
    return merged, sw_eps


def _care_sw_episodes(c, eps: list, as_of: int) -> list:
    """SSDA903 social worker episodes: the child's workers while looked after (and between
    two periods of care spent open to a worker), as an unbroken chain over each period of
    care (DfE rules SW09-SW12): the first starts the day care starts, each ends the day the
    next starts (short unallocated gaps are bridged by the worker before), the last ends the
    day care ends (open if care runs past the as-of date).
    """
    out: list = []
    # Two periods of care in one collection year with a gap the child spent open to a social
    # worker (as a child in need) are one chain: DfE rule SW12, "all social worker episodes
    # for the full previous year should be reported, even those whilst they were not looked
    # after" (SW10, SW11a). Across a 31 March the return ends with the period of care.
    spans: list[list[int]] = []

    def year(day: int) -> int:
        return T.collection_year(dt.date.fromordinal(day))

    for p in sorted(c.periods, key=lambda q: q.start):
        if (
            spans
            and p.start > spans[-1][1] + 1
            and year(spans[-1][1]) == year(p.start)
            and _allocated(eps, spans[-1][1] + 1, p.start - 1)
        ):
            spans[-1][1] = max(spans[-1][1], p.end)
        else:
            spans.append([p.start, p.end])
    for p_start, p_end in spans:
        p_end = None if p_end > as_of else p_end
        hi = as_of if p_end is None else p_end
        chain = []
        for w, s, e, reason, left in eps:
            e2 = as_of if e is None else e
            if e2 < p_start or s > hi:
                continue
            s2 = max(s, p_start)
            if chain and chain[-1][0] == w:
                continue  # the same worker again after a gap: one episode
            chain.append([w, s2, None, reason, left])
        if not chain:
            continue
        chain[0][1] = p_start
        chain[0][3] = "FCONTA" if not out else chain[0][3]
        # no episode shorter than 3 days once joined up (DfE rule SW09, "less than 24 hours",
        # which the validator checks as under 3 days): the later worker takes it over
        kept = [chain[0]]
        for ep in chain[1:]:
            if ep[1] - kept[-1][1] < 3:
                kept[-1][0] = ep[0]
                continue
            kept.append(ep)
        if p_end is not None and len(kept) == 1 and kept[0][1] >= p_end:
            continue  # care of under a day: no social worker episode
        while p_end is not None and len(kept) > 1 and p_end - kept[-1][1] < 3:
            kept.pop()
        for a, b in zip(kept, kept[1:], strict=False):
            a[2] = b[1]
        kept[-1][2] = p_end
        out.extend(kept)
    return out


def _allocated(eps: list, lo: int, hi: int) -> bool:
    """Whether the child had a social worker every day from lo to hi (eps: allocation
    segments [worker, start, end or None, ...] in start order)."""
    t = lo
    for _w, s, e, *_ in sorted(eps, key=lambda x: x[1]):
        if s > t:
            break
        if e is None or e >= t:
            t = hi + 1 if e is None else e + 1
        if t > hi:
            return True
    return t > hi


# --- visits --------------------------------------------------------------------------
# Gaps between statutory visits, in days: (usual low, usual high, share on time, late high).
# Child protection: every 10 working days (~14 days); child in need every ~20 working days;
# looked after within 6 weeks; care leavers about every 8 weeks.
VISIT_GAPS = {
    "cp": (8, 14, 0.9, 24),
    "cin": (18, 28, 0.85, 45),
    "lac": (25, 42, 0.9, 60),
    "care_leaver": (35, 56, 0.85, 90),
}
ROLE_VISIT = {
    "cp": "cp",
    "cin": "cin",
    "dis": "cin",
    "assess": "cin",
    "lac": "lac",
    "leaver": "care_leaver",
}


def visits(trust: Trust, intervals: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(child idx, day, kind index) arrays, sorted by child and day."""
    gen = trust.gen
    as_of = trust.as_of
    kinds = list(VISIT_GAPS)
    out_c, out_d, out_k = [], [], []
    for ki, kind in enumerate(kinds):
        ivs = [
            (i, s, as_of if e is None else e)
            for i, _h, s, e, role in intervals
            if ROLE_VISIT[role] == kind
        ]
        if not ivs:
            continue
        arr = np.array(ivs, dtype=np.int64)
        idx, s, e = arr[:, 0], arr[:, 1], arr[:, 2]
        lo, hi, p_on, late = VISIT_GAPS[kind]
        n = (e - s) // lo + 2
        rep = np.repeat(np.arange(len(arr)), n)
        on = gen.random(len(rep)) < p_on
        gaps = np.where(
            on, gen.integers(lo, hi + 1, len(rep)), gen.integers(hi + 1, late + 1, len(rep))
        )
        first = np.r_[0, np.cumsum(n)[:-1]]
        # the first visit comes a few days after the case starts
        gaps[first] = gen.integers(1, 8, len(arr))
        cs = np.cumsum(gaps)
        base = np.repeat(cs[first] - gaps[first], n)
        day = s[rep] + (cs - base)
        keep = day <= e[rep]
        out_c.append(idx[rep][keep])
        out_d.append(day[keep])
        out_k.append(np.full(int(keep.sum()), ki))
    c = np.concatenate(out_c)
    d = np.concatenate(out_d)
    k = np.concatenate(out_k)
    order = np.lexsort((k, d, c))
    return c[order], d[order], k[order]


# --- fostering -----------------------------------------------------------------------
class Fostering:
    """In-house fostering households, applications, and which child lived where."""

    def __init__(self, trust: Trust):
        self.trust = trust
        rnd = trust.rnd
        k = trust.scale
        t0, as_of = trust.t0, trust.as_of
        self.households: list[list] = []  # id, kind, approved, places, dereg, reason
        self.apps: list[list] = []  # id, enquiry, application, decision, outcome, household
        self.occ: dict[str, list[tuple[int, int]]] = {}
        d = dt.date

        def add_household(kind: str, approved: int, places: int | None = None) -> str:
            hid = f"FH{len(self.households) + 1:05d}"
            if places is None:
                places = rnd.choices((1, 2, 3, 4), (35, 40, 20, 5))[0]
            # Deregistration: about 18% of households a year (retirement, moves to agencies).
            life = int(rnd.expovariate(DEREG_RATE / 365.25))
            dereg = approved + max(180, life)
            reason = rnd.choices(
                (
                    "retired",
                    "moved_to_agency",
                    "moved_to_other_la",
                    "change_of_circumstances",
                    "concerns",
                    "special_guardianship",
                    "other",
                ),
                (30, 20, 8, 25, 4, 8, 5),
            )[0]
            self.households.append([hid, kind, approved, places, dereg, reason])
            self.occ[hid] = []
            return hid

        def app(
            enquiry: int,
            application: int | None,
            decision: int | None,
            outcome: str | None,
            approved_kind: str = "mainstream",
        ) -> None:
            aid = f"FA{len(self.apps) + 1:05d}"
            hid = ""
            if outcome == "approved" and decision is not None:
                hid = add_household(approved_kind, decision)
            self.apps.append([aid, enquiry, application, decision, outcome, hid])

        # Households already approved at takeover: Slough had about 55 in-house households;
        # exactly 2 were approved in April-October 2015 (the story the Trust inherited).
        # These are the households still approved at takeover (a lifetime drawn from the
        # approval date would have deregistered half of them before the Trust began).
        # With the connected-person households of children placed with family and friends
        # (about 15-25 at a time) the Trust holds 50-70 in-house households.
        n0 = round(36 * k)
        for _ in range(n0):
            add_household(
                "mainstream" if rnd.random() < 0.94 else "short_breaks",
                d(2004, 1, 1).toordinal() + rnd.randint(0, 4100),
            )
            h = self.households[-1]
            h[4] = t0 + int(rnd.expovariate(DEREG_RATE / 365.25))
        for _ in range(round(2 * k)):
            a = rnd.randint(d(2015, 4, 1).toordinal(), d(2015, 9, 30).toordinal())
            app(a - rnd.randint(200, 300), a - rnd.randint(150, 190), a, "approved")
        # October 2015 - August 2016: 5 approvals (applications made before takeover).
        for _ in range(round(5 * k)):
            a = rnd.randint(t0 + 10, d(2016, 8, 31).toordinal())
            app(a - rnd.randint(220, 320), a - rnd.randint(150, 200), a, "approved")
        # The new recruitment drive from spring 2016: 15 assessments in progress by October
        # 2016, decided in 2017.
        for _ in range(round(15 * k)):
            appl = rnd.randint(d(2016, 3, 1).toordinal(), d(2016, 9, 25).toordinal())
            dec = max(appl + rnd.randint(190, 260), d(2016, 10, 2).toordinal() + rnd.randint(0, 90))
            out = rnd.choices(("approved", "withdrawn", "not_approved"), (75, 18, 7))[0]
            app(appl - rnd.randint(20, 80), appl, dec, out)
        # After that, a steady flow: about 35 enquiries a year, a fifth apply, three quarters
        # of those approved (about 6 approvals a year: with ~18% deregistering a year, about
        # 35 mainstream households, and 50-70 in all with the connected-person ones).
        t = d(2016, 10, 1).toordinal()
        while t <= as_of:
            t += max(1, int(rnd.expovariate(35 * k / 365.25)))
            if rnd.random() < 0.22:
                appl = t + rnd.randint(20, 90)
                dec = appl + rnd.randint(150, 270)
                out = rnd.choices(("approved", "withdrawn", "not_approved"), (75, 18, 7))[0]
                app(t, appl, dec, out)
            else:
                app(t, None, t + rnd.randint(7, 60), "withdrawn")
        # Enquiries before takeover that went nowhere are not in the Trust's records.

    def assign(self, placements: list[Placement]) -> list[list]:
        """Match foster placements to in-house households with room; others go to agencies."""
        rnd = self.trust.rnd
        rows = []
        mainstream = [h for h in self.households if h[1] == "mainstream"]
        by_id = {h[0]: h for h in self.households}
        kin: dict[int, str] = {}  # child -> their connected-person household
        for pl in sorted(placements, key=lambda p: (p.start, p.period.child.idx)):
            src = pl.same_as
            if src is not None:
                # the same carers as the placement before (RNE T or U): their address, and for
                # a foster placement that turned long-term their household or agency too
                pl.post = src.post
                if pl.place in ("U4", "U5", "U6"):
                    pl.provider, pl.urn, pl.household = src.provider, src.urn, src.household
                    if src.household is not None:
                        self.occ[src.household].append((pl.start, pl.end))
                        rows.append([pl.period.child.idx, src.household, pl.start, pl.end])
                continue
            if pl.place in ("U1", "U2", "U3"):
                # family and friends carers: a connected-person household approved for this
                # child -- the same relatives again if the child goes back to them
                prev = kin.get(pl.period.child.idx)
                if prev is not None and by_id[prev][4] >= pl.start - 1:
                    h = by_id[prev]
                    h[4] = max(h[4], pl.end + rnd.randint(0, 30))
                    self.occ[prev].append((pl.start, pl.end))
                    pl.provider, pl.household, pl.urn = "PR1", prev, LA_FOSTERING_URN
                    rows.append([pl.period.child.idx, prev, pl.start, pl.end])
                    continue
                hid = f"FH{len(self.households) + 1:05d}"
                end = pl.end
                self.households.append(
                    [
                        hid,
                        "connected_person",
                        pl.start,
                        1,
                        end + rnd.randint(0, 30),
                        "special_guardianship"
                        if pl.period.exit == "sgo"
                        else "change_of_circumstances",
                    ]
                )
                self.occ[hid] = [(pl.start, end)]
                by_id[hid] = self.households[-1]
                kin[pl.period.child.idx] = hid
                pl.provider, pl.household, pl.urn = "PR1", hid, LA_FOSTERING_URN
                rows.append([pl.period.child.idx, hid, pl.start, pl.end])
                continue
            if pl.place not in ("U4", "U5", "U6"):
                continue
            cands = [h for h in mainstream if h[2] <= pl.start and h[4] > pl.end]
            rnd.shuffle(cands)
            for h in cands[:12]:
                occ = self.occ[h[0]]
                if sum(1 for a, b in occ if a <= pl.end and b >= pl.start) < h[3]:
                    occ.append((pl.start, pl.end))
                    pl.provider, pl.household, pl.urn = "PR1", h[0], LA_FOSTERING_URN
                    # in-house carers mostly live in the borough; a placement the care
                    # builder put more than 20 miles away (lac.CareBuilder._steer_distances)
                    # stays there
                    pc, home = self.trust.pc, pl.period.child.home
                    if rnd.random() < 0.75 and not pc.over_20_miles(home, pl.post):
                        pl.post = pc.slough()
                    rows.append([pl.period.child.idx, h[0], pl.start, pl.end])
                    break
        del by_id
        return rows


def write_csv(path: Path, header: tuple[str, ...], rows) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
            n += 1
    return n


def pep_probability(day: int) -> float:
    """Chance a due PEP is held: almost none before the new Virtual School head (June 2016),
    rising to the level that gives ~94% of children with a PEP in the last 6 months by July
    2017, high afterwards."""
    a = T.NEW_VSH.toordinal()
    b = dt.date(2016, 12, 1).toordinal()
    if day < a:
        # ~240 PEPs fall due in any 6 months for ~120 children: 0.002 gives 0 or 1 held,
        # under 1% with a PEP in the last 6 months (the story's "under 1%").
        return 0.002
    if day < b:
        return 0.05 + 0.88 * (day - a) / (b - a)
    return 0.93


def school_window(dob: int) -> tuple[int, int]:
    """Reception (age 4 at 31 Aug) to the end of Year 11 (age 15 at 31 Aug)."""
    d = dt.date.fromordinal(dob)
    start_year = d.year + 4 + (1 if d.month >= 9 else 0)
    return dt.date(start_year, 9, 1).toordinal(), dt.date(start_year + 12, 7, 31).toordinal()


TERMS = (("autumn", 9, 1, 12, 20, 140), ("spring", 1, 5, 3, 31, 120), ("summer", 4, 15, 7, 22, 130))


def education(trust: Trust) -> tuple[list, list, list]:
    """PEPs, termly attendance and suspensions for school-age children looked after."""
    rnd = trust.rnd
    as_of = trust.as_of
    peps, att, susp = [], {}, []
    grades = ("outstanding", "good", "requires_improvement", "inadequate")
    vsh = T.NEW_VSH.toordinal()
    early = 0  # PEPs held before the new Virtual School head: at most one (the story)
    for p in sorted(trust.periods, key=lambda p: (p.child.idx, p.start)):
        if p.shortbreak:
            continue
        c = p.child
        ws, we = school_window(c.dob)
        s, e = max(p.start, ws), min(p.end, we, as_of)
        if s > e:
            continue
        # PEPs: within 20 school days of coming into care, then termly.
        t = s + rnd.randint(10, 28)
        while t <= e:
            if rnd.random() < pep_probability(t) and (t >= vsh or early < 1):
                early += t < vsh
                year = T.collection_year(dt.date.fromordinal(t))
                good = 0.55 if year <= 2017 else 0.8  # quality improved with the new VSH
                g = rnd.choices(
                    grades, (good * 0.3, good * 0.7, (1 - good) * 0.8, (1 - good) * 0.2)
                )[0]
                peps.append([c.idx, t, g if rnd.random() < 0.9 else ""])
            t += rnd.randint(95, 125)
        # Attendance: a child-level absence rate; about 13% are persistently absent (10%+).
        persistent = rnd.random() < 0.13
        y0 = dt.date.fromordinal(s).year - 1
        y1 = dt.date.fromordinal(e).year
        for ay in range(y0, y1 + 1):
            for term, m0, d0, m1, d1, sessions in TERMS:
                yr = ay if m0 >= 9 else ay + 1
                ts = dt.date(yr, m0, d0).toordinal()
                te = dt.date(yr, m1, d1).toordinal()
                ov = min(te, e) - max(ts, s) + 1
                if ov <= 0 or te > as_of:
                    continue
                poss = round(sessions * ov / (te - ts + 1))
                if poss <= 0:
                    continue
                rate = rnd.uniform(0.11, 0.3) if persistent else max(0.0, rnd.gauss(0.04, 0.025))
                missed = min(poss, round(poss * rate))
                unauth = round(missed * rnd.uniform(0.15, 0.5))
                key = (c.idx, ay, term)
                prev = att.get(key)
                if prev:
                    prev[0] += poss
                    prev[1] += missed - unauth
                    prev[2] += unauth
                else:
                    att[key] = [poss, missed - unauth, unauth]
        # Suspensions: about 10% of school-age children looked after a year; permanent
        # exclusions rare (England CLA: ~11% suspended, ~0.1% excluded).
        t = s
        while True:
            t += max(1, int(rnd.expovariate(0.15 / 365.25)))
            if t > e:
                break
            if dt.date.fromordinal(t).weekday() >= 5:
                continue
            if rnd.random() < 0.01:
                susp.append([c.idx, t, "permanent", None])
            else:
                susp.append([c.idx, t, "suspension", rnd.choice((1, 2, 2, 4, 6, 10))])
    _steer_absence(rnd, att)
    att_rows = [[k[0], k[1], k[2], *v] for k, v in att.items()]
    return peps, att_rows, susp


def _absence_target(ay: int) -> float | None:
    """Slough's published persistent absence % for the academic year starting in September of
    `ay` (T.VS_PERSISTENT_ABSENCE_PCT, keyed by its 31 July); the last published one after it,
    None for a year DfE did not publish."""
    table = T.VS_PERSISTENT_ABSENCE_PCT
    y = ay + 1
    return table.get(y, table[max(table)] if y > max(table) else None)


def _steer_absence(rnd: random.Random, att: dict) -> None:
    """Persistent absence (10%+ of the year's possible sessions missed) among the children
    with attendance in each academic year: the published share (_absence_target). A child's
    absence is drawn term by term from a persistent or a usual rate, which leaves the year's
    share wherever chance puts it (about 130 children a year: +-3 points); the last few
    children's year is redrawn: a year of poor attendance for a child who was not persistently
    absent, or a settled year for one who was, until the count is the published share."""
    years: dict[int, dict[int, list[tuple]]] = {}
    for key in att:
        years.setdefault(key[1], {}).setdefault(key[0], []).append(key)

    def missed(keys: list[tuple]) -> tuple[int, int]:
        return sum(att[k][1] + att[k][2] for k in keys), sum(att[k][0] for k in keys)

    def persistent(keys: list[tuple]) -> bool:
        m, poss = missed(keys)
        return m >= 0.1 * poss  # as the indicator: vs_persistent_absence.sql

    def redraw(keys: list[tuple], poor: bool) -> None:
        for k in keys:
            poss = att[k][0]
            rate = rnd.uniform(0.11, 0.3) if poor else min(0.08, max(0.0, rnd.gauss(0.04, 0.02)))
            m = min(poss, round(poss * rate))
            att[k][1:] = [m, 0]
        # whole sessions on few possible ones: make the year land on the side wanted
        biggest = max(keys, key=lambda k: att[k][0])
        while persistent(keys) != poor:
            m = att[biggest][1] + (1 if poor else -1)
            if not 0 <= m <= att[biggest][0]:
                break
            att[biggest][1] = m
        for k in keys:
            unauth = round(att[k][1] * rnd.uniform(0.15, 0.5))
            att[k][1:] = [att[k][1] - unauth, unauth]

    for ay in sorted(years):
        share = _absence_target(ay)
        if share is None:
            continue
        kids = years[ay]
        order = sorted(kids)
        rnd.shuffle(order)
        have = sum(persistent(kids[i]) for i in order)
        want = round(share * len(order) / 100)
        for i in order:
            if have == want:
                break
            keys = kids[i]
            was = persistent(keys)
            if was == (have < want) or missed(keys)[1] < 10:
                continue
            redraw(keys, not was)
            have += persistent(keys) - was
