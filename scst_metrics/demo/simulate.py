"""The day-by-day life of the Trust's front door and caseload.

Referrals arrive at Slough's published yearly rate. Each goes to assessment (or ends with no
further action), then closes or becomes a child in need plan. Three feedback controllers keep
the stocks on their published paths: child protection plans start from open cases when the
number on a plan is below target, children become looked after when the number in care is
below target, and child in need plans close when the open caseload is above target. What each
child went through is kept on the child (referrals, plans, periods of care, roles), and the
writers turn that into the extract files.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict

import numpy as np

from . import trust as T
from .people import Child, People, age_years, lognormal_days


class Pool:
    """A set with O(1) add, remove and random pick (order kept deterministic)."""

    def __init__(self) -> None:
        self.items: list = []
        self.pos: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, x) -> None:
        self.pos[id(x)] = len(self.items)
        self.items.append(x)

    def remove(self, x) -> None:
        i = self.pos.pop(id(x))
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[id(last)] = i

    def __contains__(self, x) -> bool:
        return id(x) in self.pos

    def pick(self, rnd: random.Random):
        return self.items[rnd.randrange(len(self.items))]


class Quota:
    """Yearly shares steered to their published figures: the share of yes so far in each
    collection year stays within one case of the target (error diffusion with a random
    threshold, so yes and no still come in a random-looking order and the run depends on the
    seed only). `want` says whether the next case should be a yes; `record` counts what it
    turned out to be (a clamp elsewhere may have changed it)."""

    def __init__(self) -> None:
        self.n: dict[int, int] = defaultdict(int)
        self.yes: dict[int, int] = defaultdict(int)

    def want(self, rnd: random.Random, year: int, share: float) -> bool:
        return self.yes[year] + rnd.random() < share * (self.n[year] + 1)

    def record(self, year: int, yes: bool) -> None:
        self.n[year] += 1
        self.yes[year] += bool(yes)


class Referral:
    __slots__ = (
        "child",
        "date",
        "source",
        "need",
        "nfa",
        "a_start",
        "a_auth",
        "factors",
        "close",
        "reason",
        "plans",
        "s47",
        "cpps",
        "state",
        "outcome",
        "icpc",
    )

    def __init__(self, child: Child, date: int):
        self.child = child
        self.date = date
        self.nfa = False
        self.a_start: int | None = None
        self.a_auth: int | None = None
        self.factors: tuple[str, ...] = ()
        self.close: int | None = None
        self.reason: str | None = None
        self.plans: list[list] = []  # [start, end]
        self.s47: list[list] = []  # [start, target, icpc date or None, icpc not required]
        self.cpps: list[CPPlan] = []
        self.state = "new"
        self.outcome = "close"
        self.icpc: int | None = None


class CPPlan:
    __slots__ = ("start", "end", "cat0", "cat1", "prev")

    def __init__(self, start: int, end: int, cat0: str, cat1: str, prev: int):
        self.start, self.end, self.cat0, self.cat1, self.prev = start, end, cat0, cat1, prev


class Period:
    """A period of care (from becoming looked after to leaving care)."""

    __slots__ = (
        "child",
        "start",
        "end",
        "exit",
        "ref",
        "episodes",
        "placements",
        "missing",
        "adoption",
        "shortbreak",
        "legal",
    )

    def __init__(self, child: Child, start: int, end: int, exit_: str, ref: Referral | None):
        self.child, self.start, self.end, self.exit, self.ref = child, start, end, exit_, ref
        self.episodes: list = []
        self.placements: list = []
        self.missing: list = []
        self.adoption = None
        self.shortbreak = False
        self.legal: list[tuple[int, str]] = []  # (day, legal status) changes (lac.CareBuilder)


# Referral sources (CIN census codes): police, schools and health make most referrals
# (DfE CIN statistics for England: police ~30%, schools ~20%, health ~15%, LA services ~10%).
SOURCES = (
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
    "9",
    "10",
)
SOURCE_W = (4, 2, 1, 1, 2, 1, 8, 2, 2, 1, 3, 1, 2, 19, 3, 2, 1, 8, 2, 2, 30, 3)
# Primary need at assessment: abuse or neglect most common (N1 ~55% of children in need
# at 31 March nationally), family dysfunction N6 and acute stress N5 next.
NEEDS = ("N1", "N3", "N4", "N5", "N6", "N7", "N8", "N9")
NEED_W = (52, 3, 8, 8, 15, 2, 4, 8)
FACTORS = (
    "1A",
    "1B",
    "1C",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "4A",
    "4B",
    "5A",
    "5B",
    "5C",
    "6A",
    "6B",
    "7A",
    "8B",
    "8C",
    "8D",
    "8E",
    "8F",
    "9A",
    "10A",
    "11A",
    "12A",
    "13A",
    "14A",
    "15A",
    "16A",
    "17A",
    "18B",
    "18C",
    "19B",
    "19C",
    "20",
    "22A",
    "23A",
    "24A",
)
CATS = ("NEG", "EMO", "PHY", "SAB", "MUL")
# England: neglect ~50%, emotional ~38%, physical ~7%, sexual ~4%, multiple the rest.
CAT_W = (50, 37, 7, 4, 2)

# Time on a child protection plan: median 220 days with sigma 0.88 (~325 days mean) puts ~9%
# of drawn durations past 2 years. A plan still open a few weeks before its second anniversary
# goes to a review conference, which ends it there or keeps it (see cp_review): that brings the
# share of plans *ending* after 2+ years to Slough's published figure for the year
# (T.CP_ENDED_2YRS_PCT, 2-6%; checked through the real indicator by bench/demo_calibration.py).
CP_MEDIAN, CP_SIGMA = 220, 0.88
REVIEW_WINDOW = 240  # plans drawn to end this many days before 2 years may be kept past them
# Feedback gains: how fast the stocks are pulled back to target (days to close a gap).
GAIN_CP, GAIN_LAC, GAIN_CIN = 30.0, 45.0, 25.0


class Trust:
    def __init__(self, as_of: dt.date, seed: int, scale: float):
        self.as_of = as_of.toordinal()
        self.t0 = T.TAKEOVER.toordinal()
        self.scale = scale
        self.gen = np.random.Generator(np.random.PCG64(seed))
        # Scalar draws in the day loop use Python's generator (much faster per draw), seeded
        # from the numpy Generator so the run depends on the one seed.
        self.rnd = random.Random(int(self.gen.integers(0, 2**63 - 1)))
        self.cal = T.Calendar()
        from .people import PostcodeBook

        self.pc = PostcodeBook(self.rnd)
        self.people = People(self.rnd, self.pc)
        self.events: dict[int, list] = defaultdict(list)
        self.assess = Pool()
        self.cin = Pool()
        self.cp = Pool()
        self.lac = Pool()
        self.recent: list[Child] = []  # children whose case closed (for re-referrals)
        self.periods: list[Period] = []
        self.referrals: list[Referral] = []
        self.lac_curve = T.lac_curve(scale)
        self.cpp_curve = T.cpp_curve(scale)
        self.cin_curve = T.cin_curve(scale)
        self.uasc_curve = T.uasc_curve(scale)
        # published yearly shares and counts the run is steered to (see Quota)
        self.q_assess, self.q_icpc, self.q_prior, self.q_rerefer = (Quota() for _ in range(4))
        self.referred: dict[int, int] = defaultdict(int)  # referrals per collection year
        # CP plans ended per collection year: [ended, of them after 2+ years]; the days they
        # ended (for the recent rate of endings); plans a review kept past 2 years, by the year
        # they are due to end (see cp_review)
        self.cp_ended: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        self.cp_end_days: list[int] = []
        self.cp_kept: dict[int, int] = {}
        self.cp_kept_due: dict[int, int] = defaultdict(int)

    # --- helpers ---------------------------------------------------------------------
    def role(self, c: Child, day: int, role: str | None) -> None:
        if role in ("cin", "cp") and c.disab and c.shortbreak:
            role = "dis"
        if c.roles and c.roles[-1][0] == day:
            c.roles[-1] = (day, role)
        else:
            c.roles.append((day, role))

    def birthday(self, c: Child, years: int) -> int:
        return T.add_years(c.dob, years)

    def new_child(self, day: int, age_days: int | None = None, uasc: bool = False) -> Child:
        rnd = self.rnd
        if age_days is None:
            # Age at referral: babies and teenagers are referred most (DfE CIN statistics).
            band = rnd.choices(
                ((0, 1), (1, 5), (5, 10), (10, 16), (16, 18)), weights=(11, 21, 25, 33, 10)
            )[0]
            age_days = int(rnd.uniform(band[0], band[1]) * 365.25)
        return self.people.new(day - age_days, uasc=uasc)

    # --- referrals -------------------------------------------------------------------
    def refer(self, c: Child, day: int, *, assess_only: bool = False) -> Referral:
        rnd = self.rnd
        cal = self.cal
        r = Referral(c, day)
        c.refs.append(r)
        c.open_ref = r
        c.last_ref = day
        self.referrals.append(r)
        self.referred[T.collection_year(dt.date.fromordinal(day))] += 1
        r.source = rnd.choices(SOURCES, SOURCE_W)[0]
        r.need = "N2" if c.disab and rnd.random() < 0.6 else rnd.choices(NEEDS, NEED_W)[0]
        if c.uasc:
            r.need = "N8"
        y = T.collection_year(dt.date.fromordinal(day))
        # No further action at referral: 8% in a normal year; in 2016/17, when Slough counted
        # 5,688 referrals (twice its usual), the extra ones are contacts that went no further.
        p_nfa = 0.55 if y == 2017 else 0.08
        self.role(c, day, "assess")
        if not assess_only and rnd.random() < p_nfa:
            r.nfa = True
            r.state = "closing"
            # No assessment, so not RC8/RC9 ("closed after assessment", DfE rule 8825Q):
            # the case closes as services ceased (RC7), ReferralNFA true.
            self.events[day + rnd.randint(0, 3)].append(("close", r, "RC7"))
            return r
        start = cal.next_working_day(day + rnd.choice((0, 0, 1, 1, 2, 3)))
        r.a_start = start
        r.a_auth = self._assessment_end(start)
        r.factors = tuple(sorted(rnd.sample(FACTORS, rnd.randint(1, 4))))
        r.state = "assess"
        # After assessment about half the cases close; the rest get a child in need plan.
        r.outcome = "close" if rnd.random() < 0.5 else "cin"
        if rnd.random() < 0.06:  # a section 47 that found no need for a conference
            s = min(start + rnd.randint(0, 5), r.a_auth)
            r.s47.append([s, cal.add_working_days(s, 15), None, True])
        if r.outcome == "close" and not r.s47 and rnd.random() < 0.3:
            r.factors = ("21",)  # no factors identified: closed RC8/RC9 (DfE rule 8873Q)
        self.assess.add(r)
        self.events[r.a_auth].append(("assessed", r))
        self.events[self.birthday(c, 18)].append(("age18", r))
        return r

    def _assessment_end(self, start: int) -> int:
        """Assessment length: the published share within 45 working days for the year the
        assessment is authorised in (DfE counts assessments completed in the year); the rest
        run 46-90 working days."""
        rnd, cal = self.rnd, self.cal
        early = cal.add_working_days(start, int(rnd.triangular(8, 45, 30)))
        late = cal.add_working_days(start, rnd.randint(46, 90))
        y = T.collection_year(dt.date.fromordinal(early))
        on_time = self.q_assess.want(rnd, y, T.yearly(T.ASSESS_45WD_PCT, y) / 100)
        # counted in the year the on-time date falls in, as asked: recording a late one in the
        # next year would leave this year short and draw late after late at a year end
        self.q_assess.record(y, on_time)
        return early if on_time else late

    def close(self, r: Referral, day: int, reason: str) -> None:
        day = max(day, r.date)  # a case cannot close before its referral
        for p in r.plans:
            if p[1] is None:
                p[1] = day
        r.plans = [p for p in r.plans if p[0] <= p[1]]
        # An assessment still running when the case closes (at 18, or overtaken by a plan or
        # care) is signed off that day: no activity after closure (DfE rules 8565, 8867).
        if r.a_auth is not None and r.a_auth > day:
            r.a_start = min(r.a_start, day)
            r.a_auth = day
        r.close = day
        r.reason = reason
        r.state = "closed"
        c = r.child
        c.open_ref = None
        self.recent.append(c)
        self.role(c, day + 1, self.leaver_role(c, day + 1))

    def leaver_role(self, c: Child, day: int) -> str | None:
        if c.leaver and c.leaver[0] <= day < c.leaver[1]:
            return "leaver"
        return None

    def to_cin(self, r: Referral, start: int) -> None:
        r.plans.append([start, None])
        r.state = "cin"
        self.cin.add(r)
        self.role(r.child, start, "cin")

    def leave_pool(self, r: Referral, day: int) -> None:
        if r.state == "assess":
            self.assess.remove(r)
            if r.factors == ("21",):  # overtaken by a plan or care: factors were found
                r.factors = tuple(sorted(self.rnd.sample(FACTORS, self.rnd.randint(1, 3))))
        elif r.state == "cin":
            self.cin.remove(r)
            for p in r.plans:
                if p[1] is None:
                    p[1] = day - 1
            r.plans = [p for p in r.plans if p[0] <= p[1]]
        elif r.state == "cp":
            self.cp.remove(r)
            plan = r.cpps[-1]
            plan.end = day
            self._cp_ended(plan, day)

    # --- child protection --------------------------------------------------------------
    def start_cp(self, r: Referral, day: int, duration: int | None = None) -> None:
        rnd, cal = self.rnd, self.cal
        self.leave_pool(r, day)
        c = r.child
        # Initial conference within 15 working days of the section 47 start: the published
        # share for the year of the conference (T.ICPC_15WD_PCT); the rest are held 16-30
        # working days after. The enquiry cannot start before the referral.
        y = T.collection_year(dt.date.fromordinal(day))
        on_time = self.q_icpc.want(rnd, y, T.yearly(T.ICPC_15WD_PCT, y) / 100)
        wd = rnd.randint(3, 15) if on_time else rnd.randint(16, 30)
        s = max(r.date, cal.sub_working_days(day, wd))
        # a planned enquiry that had not started yet is overtaken by this one
        r.s47 = [x for x in r.s47 if x[0] < s or x[2] is not None]
        if r.s47:  # a later enquiry on the same referral starts after the earlier one
            s = min(day, max(s, r.s47[-1][0] + 1))
        self.q_icpc.record(y, cal.working_days_between(s, day) <= 15)
        target = cal.add_working_days(s, 15)
        r.s47.append([s, target, day, False])
        if r.icpc is None:
            r.icpc = day
        if duration is None:
            duration = max(30, lognormal_days(rnd, CP_MEDIAN, CP_SIGMA))
        end = min(day + duration, self.birthday(c, 18) - 1)
        cat = rnd.choices(CATS, CAT_W)[0]
        cat1 = cat if rnd.random() < 0.9 else rnd.choices(CATS, CAT_W)[0]
        plan = CPPlan(day, end, cat, cat1, c.prev_cpp)
        c.prev_cpp += 1
        r.cpps.append(plan)
        r.state = "cp"
        self.cp.add(r)
        self.role(c, day, "cp")
        self.events[end].append(("cp_end", r, plan))
        two = T.add_years(day, 2)
        if end >= two - REVIEW_WINDOW:
            # the last review conference before the plan's second anniversary (or its end)
            self.events[min(end, two) - rnd.randint(1, 28)].append(("cp_review", r, plan))

    def cp_review(self, r: Referral, plan: CPPlan, day: int) -> None:
        """The last review conference before a plan's second anniversary, for a plan drawn to
        end after it or within REVIEW_WINDOW days before it. Working Together expects few plans
        to last 2 years; the conference keeps the plan past 2 years (to its drawn end, or a few
        weeks past the anniversary) while the plans ending after 2+ years in that collection
        year, kept or already ended, are below the published share (T.CP_ENDED_2YRS_PCT) of
        the plans expected to end that year: those ended so far and, for the rest of the year,
        the plans on the published path (T.CPP_AT_31_MARCH) times the rate at which plans ended
        over the last 12 months. Otherwise a plan drawn to run past 2 years ends today."""
        if r.state != "cp" or r.cpps[-1] is not plan or plan.end <= day:
            return
        two = T.add_years(plan.start, 2)
        end = plan.end
        if end < two:
            end = min(two + self.rnd.randint(0, 60), self.birthday(r.child, 18) - 1)
            if end < two:
                return
        y = T.collection_year(dt.date.fromordinal(end))
        y0, y1 = (d.toordinal() for d in T.year_bounds(y))
        # plans ending per plan-day over the last 12 months, times the plan-days still to come
        # in that year on the published path of plans open (self.cpp_curve)
        days = self.cp_end_days
        since = max(self.t0, day - 364)
        recent = len(days) - bisect_left(days, since)
        hazard = recent / max(1.0, sum(self.cpp_curve(d) for d in range(since, day + 1)))
        to_come = sum(self.cpp_curve(d) for d in range(max(day + 1, y0), y1 + 1))
        expected = self.cp_ended[y][0] + hazard * to_come
        share = T.yearly(T.CP_ENDED_2YRS_PCT, y) / 100
        kept = self.cp_ended[y][1] + self.cp_kept_due[y]
        if kept + self.rnd.random() < share * expected:
            self.cp_kept[id(plan)] = y
            self.cp_kept_due[y] += 1
            if end != plan.end:
                plan.end = end
                self.events[end].append(("cp_end", r, plan))
        elif plan.end >= two:
            plan.end = day
            self.cp_end(r, plan, day)

    def _cp_ended(self, plan: CPPlan, day: int) -> None:
        """Count a plan ending today (see cp_review)."""
        n = self.cp_ended[T.collection_year(dt.date.fromordinal(day))]
        n[0] += 1
        n[1] += day >= T.add_years(plan.start, 2)
        self.cp_end_days.append(day)
        y = self.cp_kept.pop(id(plan), None)
        if y is not None:
            self.cp_kept_due[y] -= 1

    def cp_end(self, r: Referral, plan: CPPlan, day: int) -> None:
        if r.state != "cp" or plan.end != day or r.cpps[-1] is not plan:
            return
        self.cp.remove(r)
        self._cp_ended(plan, day)
        c = r.child
        # Most plans step down to a child in need plan (DfE: ~70%); the rest close.
        if day >= self.birthday(c, 18) - 2 or self.rnd.random() < 0.3:
            r.state = "closing"
            self.events[day + self.rnd.randint(0, 20)].append(("close", r, "RC7"))
        else:
            self.to_cin(r, day + 1)

    # --- looked after --------------------------------------------------------------------
    def draw_exit(self, c: Child, start: int) -> tuple[int, str]:
        """How and when a period of care ends (DfE CLA statistics shape: about a third go
        home, young children are adopted or go to special guardians, teenagers mostly stay
        until 18)."""
        rnd = self.rnd
        age = age_years(start, c.dob)
        b18 = self.birthday(c, 18)
        if c.uasc or age >= 16:
            kind = rnd.choices(("age18", "home", "other"), (75, 15, 10))[0]
            dur = lognormal_days(rnd, 200, 0.7)
        elif age < 5:
            kind = rnd.choices(("adopt", "sgo", "home", "cao"), (30, 22, 38, 10))[0]
            dur = {
                "adopt": lognormal_days(rnd, 700, 0.3),
                "sgo": lognormal_days(rnd, 450, 0.4),
                "home": lognormal_days(rnd, 220, 0.8),
                "cao": lognormal_days(rnd, 400, 0.5),
            }[kind]
        else:
            kind = rnd.choices(("home", "sgo", "stay", "cao", "other"), (45, 10, 35, 5, 5))[0]
            dur = {
                "home": lognormal_days(rnd, 260, 0.8),
                "sgo": lognormal_days(rnd, 500, 0.4),
                "stay": 99999,
                "cao": lognormal_days(rnd, 400, 0.5),
                "other": lognormal_days(rnd, 300, 0.7),
            }[kind]
        end = start + dur
        if kind in ("age18", "stay") or end >= b18:
            return b18, "age18"
        return end, kind

    def start_lac(self, r: Referral, day: int, end_kind: tuple[int, str] | None = None) -> Period:
        self.leave_pool(r, day)
        c = r.child
        end, kind = end_kind or self.draw_exit(c, day)
        on_31_march = dt.date.fromordinal(end).strftime("%m%d") == "0331"
        if on_31_march and kind != "age18" and end - 1 > day:
            # not on 31 March itself: DfE's validator counts a period ending that day as
            # looked after 12 months at 31 March (rule 191 wants OC2), DfE's statistics do not
            end -= 1
        p = Period(c, day, end, kind, r)
        c.periods.append(p)
        self.periods.append(p)
        r.state = "lac"
        self.lac.add(p)
        self.role(c, day, "lac")
        self.events[end].append(("lac_end", p))
        return p

    def lac_end(self, p: Period, day: int) -> None:
        self.lac.remove(p)
        r = p.ref
        c = p.child
        # Care leavers: looked after 13 weeks or more after 14 and at 16 (approximated by
        # leaving at 18 after a period of 13+ weeks).
        if p.exit == "age18" and day - p.start >= 91:
            # Leaving care support runs to 21, and to 25 for about a third who ask for it
            # (Children and Social Work Act 2017 extended the offer to 25).
            c.leaver = (day, self.birthday(c, 25 if self.rnd.random() < 0.35 else 21))
            self.events[c.leaver[1]].append(("leaver_end", c))
        reason = {"adopt": "RC1", "sgo": "RC4", "cao": "RC3"}.get(p.exit, "RC7")
        if p.exit == "age18" and c.disab and self.rnd.random() < 0.5:
            reason = "RC6"  # transferred to adult social care
        if p.exit == "home" and self.rnd.random() < 0.6:
            self.to_cin(r, day + 1)  # home on a child in need plan
            return
        self.close(r, day, reason)

    # --- the initial caseload at takeover ---------------------------------------------------
    def seed_caseload(self) -> None:
        rnd, _cal, t0, k = self.rnd, self.cal, self.t0, self.scale
        n_lac = round(self.lac_curve(t0))
        n_cp = round(self.cpp_curve(t0))
        n_assess = round(160 * k)  # about 6 weeks of referrals in assessment
        n_cin = round(self.cin_curve(t0)) - n_lac - n_cp - n_assess
        # Children looked after at takeover: ages as in care at a point in time (DfE: 10-15
        # the largest group, then 16-17), already in care for a while.
        for _ in range(n_lac):
            band = rnd.choices(((0, 1), (1, 5), (5, 10), (10, 16), (16, 18)), (5, 15, 20, 38, 22))[
                0
            ]
            age = rnd.uniform(*band)
            c = self.people.new(t0 - int(age * 365.25), uasc=band[0] == 16 and rnd.random() < 0.3)
            elapsed = int(rnd.uniform(0.05, min(age, 6.0)) * 365.25) if age > 0.1 else 10
            start = t0 - elapsed
            r = self._past_referral(c, start - rnd.randint(14, 120))
            for _ in range(30):
                end, kind = self.draw_exit(c, start)
                if end > t0:
                    break
            else:
                end, kind = min(t0 + rnd.randint(30, 500), self.birthday(c, 18)), "home"
            if end <= t0:
                end, kind = self.birthday(c, 18), "age18"
            self.start_lac(r, start, (end, kind))
        for _ in range(n_cp):
            c = self.new_child(t0)
            start = max(c.dob, t0 - rnd.randint(1, 330))  # not before birth
            r = self._past_referral(c, max(c.dob, start - rnd.randint(20, 120)))
            dur = max(30, lognormal_days(rnd, CP_MEDIAN, CP_SIGMA))
            if start + dur <= t0:
                dur = t0 - start + rnd.randint(1, 200)
            self.start_cp(r, start, dur)
        # Some of the children open at takeover had a child protection plan before the Trust
        # (the CIN census carries NumberOfPreviousCPP), so second plans start from day one.
        for _ in range(n_assess):
            c = self.new_child(t0)
            c.prev_cpp = 1 if rnd.random() < 0.15 else 0
            self.refer(c, max(c.dob, t0 - rnd.randint(0, 60)), assess_only=True)
        for _ in range(n_cin):
            c = self.new_child(t0)
            c.prev_cpp = 1 if rnd.random() < 0.15 else 0
            rdate = max(c.dob, t0 - int(rnd.expovariate(1 / 300)) - 40)
            r = self._past_referral(c, rdate)
            self.to_cin(r, min(t0, r.a_auth + rnd.randint(0, 10)))
        # Care leavers held at takeover: aged 18-21, left care before the Trust.
        for _ in range(round(T.CARE_LEAVERS_HELD * k)):
            c = self.people.new(t0 - int(rnd.uniform(18.0, 21.0) * 365.25))
            c.leaver = (self.birthday(c, 18), self.birthday(c, 21))
            self.role(c, t0, "leaver")
            self.events[c.leaver[1]].append(("leaver_end", c))
        # Children with disabilities on agreed series of short breaks (DCT): a few per Trust.
        for _ in range(round(5 * k)):
            c = self.new_child(t0, age_days=int(rnd.uniform(5, 15) * 365.25))
            if not c.disab:
                c.disab = ("LD",)
            c.shortbreak = True
            r = self._past_referral(c, t0 - rnd.randint(200, 900))
            r.need = "N2"
            self.to_cin(r, min(t0, r.a_auth + 5))

    def _past_referral(self, c: Child, day: int) -> Referral:
        """A referral made before takeover, assessment done, case still open."""
        cal, rnd = self.cal, self.rnd
        day = max(day, c.dob)
        r = Referral(c, day)
        c.refs.append(r)
        c.open_ref = r
        c.last_ref = day
        self.referrals.append(r)
        self.referred[T.collection_year(dt.date.fromordinal(day))] += 1
        r.source = rnd.choices(SOURCES, SOURCE_W)[0]
        r.need = "N8" if c.uasc else rnd.choices(NEEDS, NEED_W)[0]
        r.a_start = cal.next_working_day(day + rnd.randint(0, 2))
        r.a_auth = self._assessment_end(r.a_start)
        r.factors = tuple(sorted(rnd.sample(FACTORS, rnd.randint(1, 4))))
        r.state = "past"
        self.role(c, day, "assess")
        self.events[self.birthday(c, 18)].append(("age18", r))
        return r

    # --- the day loop ----------------------------------------------------------------------
    def run(self) -> None:
        rnd, gen = self.rnd, self.gen
        self.seed_caseload()
        # Past events from seeding that fall before takeover are done already.
        for day in sorted(d for d in self.events if d < self.t0):
            del self.events[day]
        for day in range(self.t0, self.as_of + 1):
            self.step(day, rnd, gen)

    def step(self, day: int, rnd: random.Random, gen: np.random.Generator) -> None:
        d = dt.date.fromordinal(day)
        y = T.collection_year(d)
        # New referrals: the year's published number, spread over the days left in the year
        # (what is still to come, less what came already, seeded cases included); the year's
        # last day makes up the difference, so the year's count is the published one.
        _, year_end = T.year_bounds(y)
        left = round(T.yearly(T.REFERRALS_IN_YEAR, y) * self.scale) - self.referred[y]
        days_left = year_end.toordinal() - day + 1
        n = max(left, 0) if days_left == 1 else gen.poisson(max(left, 0) / days_left)
        p_rr = T.yearly(T.RE_REFERRAL_PCT, y) / 100
        for _ in range(n):
            c = self._rereferral(day) if self.q_rerefer.want(rnd, y, p_rr) else None
            self.q_rerefer.record(y, c is not None)
            if c is None:
                c = self.new_child(day)
            self.refer(c, day)

        while self.events.get(day):
            for ev in self.events.pop(day):
                self.handle(ev, day)

        # Care leavers: the leaving care role starts the day after the period of care ends.
        # (set in close()). Controllers:
        cp_target = self.cpp_curve(day)
        # Conferences sit on working days only: the daily rate is carried by 5 days in 7.
        workday = bool(self.cal.work[day - T.ORD0])
        lam = (len(self.cp) / 290 + (cp_target - len(self.cp)) / GAIN_CP) * 1.4 * workday
        for _ in range(gen.poisson(max(lam, 0.0))):
            self._new_cp(day)

        # Unaccompanied asylum-seeking children arriving (the National Transfer Scheme): kept
        # on their own published path; the children looked after controller counts them in.
        n_uasc = sum(1 for p in self.lac.items if p.child.uasc)
        lam = n_uasc / 400 + (self.uasc_curve(day) - n_uasc) / GAIN_LAC
        for _ in range(gen.poisson(max(lam, 0.0))):
            self._lac_entry(day, uasc=True)

        lac_target = self.lac_curve(day)
        lam = len(self.lac) / 800 + (lac_target - len(self.lac)) / GAIN_LAC
        for _ in range(gen.poisson(max(lam, 0.0))):
            self._lac_entry(day)
        if d.month == 3 and d.day == 31 and y in T.LAC_AT_31_MARCH:
            self._year_end(day, y)

        open_total = len(self.assess) + len(self.cin) + len(self.cp) + len(self.lac)
        lam = len(self.cin) / 240 + (open_total - self.cin_curve(day)) / GAIN_CIN
        for _ in range(gen.poisson(max(lam, 0.0))):
            if not self.cin:
                break
            for _try in range(6):
                r = self.cin.pick(rnd)
                if r.plans and r.plans[-1][0] <= day - 30 and not r.child.shortbreak:
                    break
            else:
                continue
            self.leave_pool(r, day + 1)
            # A child in need plan closing: services ceased (RC7) or moved away (RC5); never
            # RC8/RC9, which mean closed straight after assessment (DfE rule 2990).
            reason = rnd.choices(("RC7", "RC5"), (94, 6))[0]
            self.close(r, day, reason)

    def _new_cp(self, day: int) -> None:
        """A child protection plan starting today; second or subsequent plans at the year's
        published share of plans starting."""
        y = T.collection_year(dt.date.fromordinal(day))
        prior = self.q_prior.want(self.rnd, y, T.yearly(T.SECOND_CPP_PCT, y) / 100)
        r = self._cp_candidate(self.rnd, prior, day)
        if r is not None:
            self.q_prior.record(y, r.child.prev_cpp > 0)
            self.start_cp(r, day)

    def _year_end(self, day: int, y: int) -> None:
        """31 March: the stocks DfE counts (children looked after, of them unaccompanied
        asylum-seeking children, children on a child protection plan) brought to the published
        figures. The controllers keep them close; the last few start today, or end (a plan
        today, a period of care yesterday: neither is counted at 31 March)."""
        k = self.scale
        pools = ((True, T.UASC_AT_31_MARCH), (None, T.LAC_AT_31_MARCH))
        for uasc, table in pools:
            want = round(table[y] * k)
            for _ in range(200):
                held = [p for p in self.lac.items if uasc is None or p.child.uasc]
                if len(held) < want:
                    self._lac_entry(day, uasc=bool(uasc))
                    continue
                spare = [
                    p
                    for p in held
                    if p.start < day - 1 and p.exit != "adopt" and (uasc or not p.child.uasc)
                ]
                if len(held) == want or not spare:
                    break
                p = spare[self.rnd.randrange(len(spare))]
                # ended the day before: a period ending on 31 March itself sits on the edge
                # of "looked after 12 months at 31 March" (OC2, DfE rule 191)
                p.end, p.exit = day - 1, "home" if not p.child.uasc else "other"
                self.lac_end(p, day - 1)
        want = round(T.CPP_AT_31_MARCH[y] * k)
        for _ in range(200):
            if len(self.cp) < want:
                self._new_cp(day)
                continue
            # not a plan a review kept past 2 years (it ends in the year it was kept for)
            spare = [
                r
                for r in self.cp.items
                if r.cpps[-1].start < day and id(r.cpps[-1]) not in self.cp_kept
            ]
            if len(self.cp) == want or not spare:
                break
            r = spare[self.rnd.randrange(len(spare))]
            r.cpps[-1].end = day
            self.cp_end(r, r.cpps[-1], day)

    def handle(self, ev: tuple, day: int) -> None:
        rnd = self.rnd
        kind = ev[0]
        if kind == "assessed":
            r = ev[1]
            if r.state == "assess":
                self.assess.remove(r)
                if r.outcome == "close":
                    r.state = "closing"
                    reason = "RC8" if rnd.random() < 0.65 else "RC9"
                    if r.s47 or r.cpps or r.plans:
                        reason = "RC7"  # RC8/RC9 mean nothing happened after assessment
                    self.events[day + rnd.randint(0, 3)].append(("close", r, reason))
                else:
                    self.to_cin(r, day + rnd.randint(0, 10))
        elif kind == "close":
            r = ev[1]
            if r.state == "closing":
                self.close(r, day, ev[2])
        elif kind == "cp_end":
            self.cp_end(ev[1], ev[2], day)
        elif kind == "cp_review":
            self.cp_review(ev[1], ev[2], day)
        elif kind == "lac_end":
            p = ev[1]
            if p.end == day and p in self.lac:  # not a period ended early at a year end
                self.lac_end(p, day)
        elif kind == "age18":
            r = ev[1]
            if r.state in ("assess", "cin"):
                self.leave_pool(r, day)
                self.close(r, day - 1, "RC7")
        elif kind == "leaver_end":
            c = ev[1]
            if c.roles and c.roles[-1][1] == "leaver":
                self.role(c, day, None)

    def _rereferral(self, day: int) -> Child | None:
        rnd = self.rnd
        recent = self.recent
        # Drop children whose last referral is more than a year old from the front.
        if len(recent) > 4000 * self.scale:
            del recent[: len(recent) // 2]
        for _ in range(8):
            if not recent:
                return None
            c = recent[rnd.randrange(len(recent))]
            if (
                c.open_ref is None
                and day - c.last_ref <= 360
                and c.last_ref < day
                and day < self.birthday(c, 18) - 30
                and not c.periods
            ):
                return c
        return None

    def _cp_candidate(self, rnd: random.Random, prior: bool, day: int):
        best = None
        # Children with an earlier plan are a small part of the open caseload, so look
        # further for one when the year's share of second or subsequent plans calls for it.
        for _ in range(40):
            pool = self.assess if (rnd.random() < 0.6 and self.assess) else self.cin
            if not pool:
                return None
            r = pool.pick(rnd)
            if r.child.shortbreak or day >= self.birthday(r.child, 18) - 60:
                continue
            if r.state == "assess" and day <= r.date:
                continue
            if r.cpps and r.cpps[-1].end >= day - 1:  # a plan that ended today or yesterday
                continue
            if (r.child.prev_cpp > 0) == prior:
                return r
            best = best or r
        return best

    def _lac_entry(self, day: int, uasc: bool = False) -> None:
        rnd = self.rnd
        u = rnd.random()
        # Where children come into care from: a child protection plan (~40%), a child in
        # need plan (~35%), during assessment (~10%), or straight from a new referral
        # (~15%: emergencies and unaccompanied asylum-seeking children).
        pool = self.cp if u < 0.4 else self.cin if u < 0.75 else self.assess if u < 0.85 else None
        pool = None if uasc else pool
        r = None
        if pool:
            # Teenagers come into care more than the open caseload's age mix suggests (DfE:
            # 10-17 year olds are ~60% of children starting care): of two candidates, half the
            # time take the older.
            older = rnd.random() < 0.5
            for _ in range(6):
                cand = pool.pick(rnd)
                if (
                    not cand.child.shortbreak
                    and day < self.birthday(cand.child, 18) - 30
                    and day > cand.date
                    and not (cand.cpps and id(cand.cpps[-1]) in self.cp_kept)
                ):
                    if older and r is None:
                        r = cand
                        continue
                    if r is None or cand.child.dob < r.child.dob:
                        r = cand
                    break
        if r is None:
            # UASC (called with uasc=True by their own controller, on Slough's published
            # numbers, T.UASC_AT_31_MARCH) arrive at 15-17; the 903 UASC table also lists
            # former UASC among the care leavers.
            if uasc:
                c = self.new_child(day, age_days=int(rnd.uniform(15.0, 17.6) * 365.25), uasc=True)
            else:
                c = self.new_child(day)
                if day >= self.birthday(c, 18) - 60:
                    return
            r = self.refer(c, day - rnd.randint(0, 2) if day > c.dob + 3 else day, assess_only=True)
        self.start_lac(r, day)
