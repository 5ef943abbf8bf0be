"""Periods of care into SSDA903 episodes: legal statuses, placements, moves, missing, adoption."""

from __future__ import annotations

import datetime as dt
import random

from . import trust as T
from .people import PostcodeBook, age_years
from .simulate import Period

# Supported accommodation is K3 from the 2024-25 return (H5, semi-independent living, is
# retired); an H5 placement open on 1 April 2024 keeps its episode and is coded K3 from then
# (DfE rules 146 and 503D, which lets H5 become K3 between 2023-24 and 2024-25).
SUPPORTED_ACCOMMODATION = dt.date(2024, 4, 1).toordinal()
LA_FOSTERING_URN = "SC045117"  # the Trust's own fostering service (an Ofsted-style URN)
LA_ADOPTION_URN = "SC045118"


class Placement:
    __slots__ = (
        "start",
        "end",
        "place",
        "provider",
        "post",
        "urn",
        "household",
        "period",
        "same_as",
        "recoded",
    )

    def __init__(self, start: int, end: int, place: str, post: str, period: Period):
        self.start, self.end, self.place, self.post, self.period = start, end, place, post, period
        self.provider = "PR4"
        self.urn = "XXXXXXX"
        self.household: str | None = None
        # the placement before, when this one is with the same carers (RNE T or U)
        self.same_as: Placement | None = None
        # H5 open on 1 April 2024: the code the returns from 2024-25 on give it (K3)
        self.recoded: str | None = None


class Episode:
    __slots__ = ("decom", "dec", "rne", "ls", "cin", "pl", "rec", "rpc")

    def __init__(self, decom, dec, rne, ls, cin, pl, rec, rpc):
        self.decom, self.dec, self.rne, self.ls = decom, dec, rne, ls
        self.cin, self.pl, self.rec, self.rpc = cin, pl, rec, rpc


# Placement moves per year (first year of care, second year, afterwards) for children who keep
# moving and for those who settle. By the second year most have a permanence plan and carers to
# match it, so moves become rare for both. These rates leave 85-95% of the children in care for
# 2.5+ years in the same placement for 2+ years, above Slough's published figures (58-85%,
# England ~69%); the year-end steering (_steer_stability) takes it down to the year's figure
# with placement breakdowns, which nearly every year has children enough for, rather than up
# by undoing moves, which few years do (checked at seeds 1-3, bench/demo_calibration.py).
MOVES_PER_YEAR = {True: (3.0, 0.5, 0.05), False: (0.45, 0.04, 0.015)}
PHASE_DAYS = (365, 730)  # the first and second years of care


def _where(rnd: random.Random, place: str) -> str:
    """In borough / nearby (<20 miles) / far (20+ miles). Slough places about a quarter of
    its children looked after more than 20 miles away (DfE CLA statistics, 2018-2024)."""
    w = {
        "kin": (55, 35, 10),
        "foster_in": (70, 30, 0),
        "foster_ifa": (10, 50, 40),
        "home": (5, 30, 65),
        "semi": (40, 50, 10),
        "adopt": (10, 45, 45),
    }[place]
    return rnd.choices(("in", "near", "far"), w)[0]


_IFA_URNS = tuple(
    f"SC{n:06d}"
    for n in (392745, 387221, 420118, 443902, 461230, 471150, 488362, 502841, 511276, 523048)
)


class CareBuilder:
    def __init__(self, rnd: random.Random, pc: PostcodeBook, as_of: int):
        self.rnd = rnd
        self.pc = pc
        self.as_of = as_of
        self.home_urns = [f"SC{rnd.randint(400000, 499999)}" for _ in range(40)]
        self.built: list[Period] = []  # periods built so far (in order of starting)
        self.next_year_end = T.FIRST_YEAR  # the next 31 March whose distances are steered

    def _placement(self, kind: str, day: int, p: Period, age: float) -> tuple[str, str, str]:
        """(PLACE, where kind, provider) for a placement starting on day."""
        rnd = self.rnd
        if kind == "foster":
            long_term = p.exit in ("age18",) and rnd.random() < 0.6
            return ("U4" if long_term else "U6"), "foster", "PR4"
        if kind == "kin":
            return rnd.choice(("U1", "U3", "U3")), "kin", "PR1"
        if kind == "home":
            return "K2", "home", rnd.choices(("PR4", "PR5", "PR2"), (80, 10, 10))[0]
        if kind == "semi":
            if day >= SUPPORTED_ACCOMMODATION:
                return "K3", "semi", "PR4"
            return "H5", "semi", "PR4"
        if kind == "parents":
            return "P1", "parents", "PR0"
        raise ValueError(kind)

    def _first_kind(self, age: float, p: Period) -> str:
        rnd = self.rnd
        # Placement mix of Slough's children looked after: ~70% foster care, ~13% with
        # relatives, children's homes for some teenagers, semi-independent living at 16-17.
        if age >= 16:
            return rnd.choices(("foster", "semi", "home"), (45, 40, 15))[0]
        if age >= 11:
            return rnd.choices(("foster", "kin", "home", "parents"), (70, 12, 15, 3))[0]
        if p.exit in ("sgo",):
            return "kin" if rnd.random() < 0.6 else "foster"
        return rnd.choices(("foster", "kin", "parents"), (82, 14, 4))[0]

    def build(self, p: Period) -> None:
        """Episodes, placements, missing and adoption of a period of care. Periods come in the
        order they started; once one starts after a 31 March, every period looked after on that
        day is built, and that day's distances are steered (_steer_distances)."""
        self._steer_distances(p.start)
        self.built.append(p)
        self._build(p)

    def _steer_distances(self, day: int) -> None:
        """Placed more than 20 miles from home at each 31 March before `day`: the published
        share (T.PLACED_20MILES_PCT). Placements that started since the previous 31 March and
        are open on this one are moved far or near until the count is the published share of
        the children looked after then; placements open on earlier year ends keep their
        postcode, so earlier years stay as steered. Placements with parents, for adoption or
        with the same carers as another (RNE T/U) are never moved."""
        while True:
            y = self.next_year_end
            ye = dt.date(y, 3, 31).toordinal()
            if ye >= day or y not in T.PLACED_20MILES_PCT:
                return
            self.next_year_end += 1
            prev = dt.date(y - 1, 3, 31).toordinal()
            if y in T.PLACEMENTS_3PLUS_PCT:
                self._steer_moves(y, ye, prev + 1)
            if y <= max(T.LONG_TERM_STABILITY_PCT):
                self._steer_stability(y, ye, prev + 1)
            pc = self.pc
            held = [
                pl
                for q in self.built
                if not q.shortbreak and q.start <= ye < q.end
                for pl in q.placements
                if pl.start <= ye < pl.end
            ]
            is_far = {id(pl): pc.over_20_miles(self._home(pl), pl.post) for pl in held}
            far = sum(is_far.values())
            want = round(T.PLACED_20MILES_PCT[y] * len(held) / 100)
            kept = {id(q.same_as) for pl in held for q in pl.period.placements if q.same_as}
            movable = [
                pl
                for pl in held
                if pl.start > prev
                and pl.same_as is None
                and id(pl) not in kept
                and pl.place[:1] in "UKH"
                and self._home(pl)
                and is_far[id(pl)] == (far > want)
            ]
            self.rnd.shuffle(movable)
            for pl in movable[: abs(far - want)]:
                if far < want:
                    pl.post = pc.placement("far")
                    continue
                for _ in range(20):  # near: under 20 miles from this child's home
                    pl.post = pc.placement(self.rnd.choice(("in", "near")))
                    if not pc.over_20_miles(self._home(pl), pl.post):
                        break
                else:
                    pl.post = pc.slough()

    def _steer_moves(self, y: int, ye: int, r12: int) -> None:
        """Three or more placements in the year to 31 March `ye` (placements held on any day
        from `r12`, 1 April, as DfE counts them) among the children looked after on that day:
        the published share (T.PLACEMENTS_3PLUS_PCT). A child with two placements in the year
        gets a move within the year (their current placement split), or a child with three
        loses one (a move within the year undone, the two placements joined), until the count
        is the published share; if the children with two run out, a child with one gets two
        moves. Only foster and children's home placements with no link to
        another (same carers, adoption) are touched; the period's episodes are rebuilt."""
        held = [q for q in self.built if not q.shortbreak and q.start <= ye < q.end]
        want = round(T.PLACEMENTS_3PLUS_PCT[y] * len(held) / 100)

        def n_in_year(q: Period) -> int:
            return sum(
                1
                for q2 in q.child.periods
                if q2.placements and not q2.shortbreak
                for pl in q2.placements
                if pl.start <= ye and pl.end >= r12
            )

        counts = {id(q): n_in_year(q) for q in held}
        have = sum(n >= 3 for n in counts.values())
        rnd = self.rnd
        order = list(held)
        rnd.shuffle(order)
        for q in order:
            if have == want:
                break
            if q.exit == "adopt":
                continue
            if have < want and counts[id(q)] == 2:
                cur = next(pl for pl in q.placements if pl.start <= ye < pl.end)
                lo, hi = max(cur.start, r12) + 14, ye - 14
                if hi <= lo or not self._free(q, cur):
                    continue
                self._split(q, cur, rnd.randint(lo, hi))
                have += 1
            elif have > want and counts[id(q)] == 3:
                pair = next(
                    (
                        (a, b)
                        for a, b in zip(q.placements, q.placements[1:], strict=False)
                        if r12 < b.start <= ye and self._free(q, a) and self._free(q, b)
                    ),
                    None,
                )
                if pair is None:
                    continue
                a, b = pair
                a.end = b.end
                q.placements.remove(b)
                have -= 1
            else:
                continue
            self._episodes(q)
        # Too few children with two placements to move: a child with one placement in the year
        # gets two moves (a placement that broke down twice), those who came into care during
        # the year first (outside the long-term stability count, which is steered next).
        if have < want:
            ones = [q for q in order if counts[id(q)] == 1 and q.exit != "adopt"]
            ones.sort(key=lambda q: q.start < r12)
            for q in ones:
                if have == want:
                    break
                cur = next(pl for pl in q.placements if pl.start <= ye < pl.end)
                lo, hi = max(cur.start, r12) + 14, ye - 14
                if hi - lo < 28 or not self._free(q, cur):
                    continue
                d1 = rnd.randint(lo, hi - 14)
                d2 = rnd.randint(d1 + 14, hi)
                self._split(q, cur, d1)
                self._split(q, q.placements[q.placements.index(cur) + 1], d2)
                have += 1
                self._episodes(q)

    def _split(self, q: Period, cur: Placement, d: int) -> None:
        """A move on day d: the child leaves placement `cur` for one of the same kind nearby."""
        new = Placement(d, cur.end, cur.place, self.pc.placement("near"), q)
        new.provider, new.urn = cur.provider, cur.urn
        cur.end = d
        q.placements.insert(q.placements.index(cur) + 1, new)

    def _steer_stability(self, y: int, ye: int, r12: int) -> None:
        """Long-term stability at 31 March `ye` (DfE: children under 16 looked after for 2.5
        years or more; of them, those in the same placement for 2+ years, or placed for
        adoption with the adoptive and previous placement together 2+ years): the published
        share (T.LONG_TERM_STABILITY_PCT; before 2018, which DfE did not publish for Slough,
        its first figure). Moves drawn by rate leave it wherever chance puts it
        (a denominator of about 50, so +-6 points); like the 3+ placements, the last few are
        steered by moves within the year to `ye`:
        - too many settled: a settled child's placement breaks down during the year (a move,
          so two placements in the year: the 3+ placements count is unchanged). Children who
          leave the denominator by the next 31 March (16 by then, or leaving care) first, so
          the move does not carry into next year's figure as well.
        - too few: a child who moved during the year after 2+ years with the same carers
          stays instead (the move undone: one placement in the year instead of two).
        Only foster and children's home placements with no link to another are touched."""
        two = T.add_years(ye, -2)
        d = dt.date.fromordinal(ye)
        m30 = dt.date(d.year - 3, 9, 30).toordinal()  # 31 March less 30 months
        nxt = T.add_years(ye, 1)
        rows = []
        for q in self.built:
            if q.shortbreak or not q.start <= m30 or not ye < q.end:
                continue
            if T.add_years(q.child.dob, 16) <= ye:
                continue
            i, cur = next((i, pl) for i, pl in enumerate(q.placements) if pl.start <= ye < pl.end)
            prev = q.placements[i - 1] if i else None
            adopted = cur.place[:1] == "A" and prev is not None and prev.start <= two
            rows.append((q, cur, prev, cur.start <= two or adopted))
        if not rows:
            return
        want = round(T.yearly(T.LONG_TERM_STABILITY_PCT, y) * len(rows) / 100)
        have = sum(r[3] for r in rows)
        rnd = self.rnd
        rnd.shuffle(rows)
        if have > want:
            # leaving the denominator by next 31 March first
            rows.sort(key=lambda r: not (T.add_years(r[0].child.dob, 16) <= nxt or r[0].end <= nxt))
        for q, cur, prev, settled in rows:
            if have == want:
                break
            if q.exit == "adopt":
                continue
            if have > want and settled:
                lo, hi = max(cur.start, r12) + 14, ye - 14
                if hi <= lo or not self._free(q, cur):
                    continue
                self._split(q, cur, rnd.randint(lo, hi))
                have -= 1
            elif have < want and not settled and prev is not None:
                if not (prev.start <= two and r12 < cur.start):
                    continue
                if not (self._free(q, prev) and self._free(q, cur)):
                    continue
                prev.end = cur.end
                q.placements.remove(cur)
                have += 1
            else:
                continue
            self._episodes(q)

    @staticmethod
    def _free(q: Period, pl: Placement) -> bool:
        """A placement the year-end steering may split or join: foster care or a children's
        home, not with the same carers as another (RNE T/U) nor followed by one."""
        linked = any(x.same_as is pl for x in q.placements)
        return pl.same_as is None and not linked and pl.place in _MOVABLE

    @staticmethod
    def _home(pl: Placement) -> str:
        """The home postcode the return gives the child (none for a UASC, write903)."""
        c = pl.period.child
        return "" if c.uasc else c.home

    def _build(self, p: Period) -> None:
        rnd = self.rnd
        c = p.child
        s, e = p.start, p.end
        age = age_years(s, c.dob)
        # --- legal status path ---
        ls: list[tuple[int, str]] = []
        if c.uasc or age >= 16:
            ls = [(s, "V2")]
        elif p.exit == "adopt":
            first = "C1" if rnd.random() < 0.9 else "L2"
            ls = [(s, first)]
            if first == "L2":
                ls.append((s + rnd.randint(3, 8), "C1"))
            po = s + max(150, int((e - s) * rnd.uniform(0.35, 0.55)))
            ls.append((po, "E1"))
        else:
            u = rnd.random()
            if p.exit in ("sgo", "cao"):
                u = 0.5
            if u < 0.45:
                ls = [(s, "V2")]
            elif u < 0.88:
                ls = [(s, "C1"), (s + rnd.randint(150, 300), "C2")]
            else:
                ls = [(s, rnd.choice(("L1", "L2")))]
                nxt = s + rnd.randint(1, 3)  # police protection lasts at most 72 hours
                if rnd.random() < 0.5:
                    ls.append((nxt, "V2"))
                else:
                    ls += [(nxt, "C1"), (nxt + rnd.randint(150, 300), "C2")]
        ls = [x for x in ls if x[0] < e] or [(s, "V2")]

        # --- placements ---
        kind = self._first_kind(age, p)
        changes = []
        t = s
        # Placement moves: most children settle (a move or so in the first year, then rarely),
        # but a minority -- more often teenagers -- keep moving through their first year. One
        # uniform rate cannot give both of Slough's stability figures (3+ placements in the
        # year ~12-17% of children at 31 March, and 58-85% of long-stayers under 16 in the same
        # placement 2+ years); this mix comes near both, and the year ends steer the rest
        # (_steer_moves, _steer_stability; checked by bench/demo_calibration.py).
        unstable = rnd.random() < (0.4 if age >= 11 else 0.12)
        while True:
            phase = sum(t - s >= b for b in PHASE_DAYS)
            rate = MOVES_PER_YEAR[unstable][phase]
            nxt = t + max(7, int(rnd.expovariate(rate / 365.25)))
            if phase < len(PHASE_DAYS) and nxt - s >= PHASE_DAYS[phase]:
                # no move left in this year of care: draw afresh at the next year's rate from
                # its end (memoryless), not at this year's rate into later years
                t = s + PHASE_DAYS[phase]
                continue
            t = nxt
            if t >= e:
                break
            changes.append(t)
        # A move on the day the legal status changes (a child moved from an emergency placement
        # when the interim care order is made, or at the final order): RNE B. Moves already
        # drawn within two months after the change are brought forward, so the number of
        # placements (3+ placements, stability) is as before.
        for d, _v in ls[1:]:
            later = [c for c in changes if d < c <= d + 60]
            if d not in changes and later and rnd.random() < 0.4:
                changes[changes.index(later[0])] = d
                changes.sort()
        adopt_day = None
        if p.exit == "adopt":
            adopt_day = max(ls[-1][0] + 30, e - rnd.randint(90, 250))
            adopt_day = min(adopt_day, e - 20)
            changes = [d for d in changes if d < adopt_day] + [adopt_day]
        starts = [s] + changes
        placements: list[Placement] = []
        prev_post = None
        for i, ps in enumerate(starts):
            pe = starts[i + 1] if i + 1 < len(starts) else e
            a = age_years(ps, c.dob)
            if adopt_day is not None and ps == adopt_day:
                # A5: placed for adoption with the child's foster carers (never from a
                # placement with parents or a children's home)
                foster = bool(placements) and placements[-1].place[:1] == "U"
                same = rnd.random() < 0.2 and foster
                place = "A5" if same else "A6"
                post = prev_post if same and prev_post else self.pc.placement(_where(rnd, "adopt"))
                pl = Placement(ps, pe, place, post, p)
                pl.provider = "PR1"
                pl.urn = LA_ADOPTION_URN
                if same and placements:
                    pl.same_as = placements[-1]  # placed for adoption with its foster carers
            else:
                if i > 0:
                    kind = self._first_kind(a, p) if rnd.random() < 0.5 else kind
                    if kind == "parents":
                        kind = "foster"
                # placed with parents is never under section 20 alone (DfE rule 378), nor
                # when police protection gives way to section 20 during the placement
                in_force = [v for d, v in ls if d <= ps][-1:] + [v for d, v in ls if ps < d < pe]
                if kind == "parents" and (not in_force or "V2" in in_force):
                    kind = "foster"
                place, wk, provider = self._placement(kind, ps, p, a)
                if wk == "foster":
                    post = self.pc.placement(_where(rnd, "foster_ifa"))
                elif wk == "parents":
                    post = c.home
                else:
                    post = self.pc.placement(_where(rnd, wk))
                pl = Placement(ps, pe, place, post, p)
                pl.provider = provider
                if wk == "home":
                    pl.urn = rnd.choice(self.home_urns)
                elif wk == "foster":
                    pl.urn = rnd.choice(_IFA_URNS)
                elif wk == "kin":
                    pl.urn = LA_FOSTERING_URN
                elif wk == "semi":
                    pl.urn = f"SC{rnd.randint(600000, 699999)}"
            placements.append(pl)
            prev_post = pl.post
        # A final care order confirming long-term fostering with the child's current foster
        # carers: the placement becomes U4 with the same carers on that day (RNE U).
        for d, v in ls[1:]:
            if v != "C2" or d in starts:
                continue
            i, cur = next(
                ((i, q) for i, q in enumerate(placements) if q.start < d < q.end), (0, None)
            )
            if cur is not None and cur.place == "U6" and rnd.random() < 0.3:
                lt = Placement(d, cur.end, "U4", cur.post, p)
                lt.provider, lt.urn, lt.same_as = cur.provider, cur.urn, cur
                cur.end = d
                placements.insert(i + 1, lt)
        # Semi-independent placements open on 1 April 2024 keep their episode; the returns from
        # 2024-25 code it K3 (supported accommodation).
        for pl in placements:
            if pl.place == "H5" and pl.end > SUPPORTED_ACCOMMODATION:
                pl.recoded = "K3"
        p.placements = placements
        p.legal = ls
        self._episodes(p)
        self._missing(p)
        if p.exit == "adopt":
            self._adoption(p, ls, adopt_day)

    def _episodes(self, p: Period) -> None:
        """Episodes: a new one at each change of legal status or placement."""
        ls, fixed = p.legal, p.placements
        cin = p.ref.need if p.ref is not None else "N1"
        if cin not in T_CIN_CODES:
            cin = "N1"
        ls_days = {d: v for d, v in ls}
        pl_days = {pl.start: pl for pl in fixed}
        bounds = sorted(set(ls_days) | set(pl_days))
        episodes: list[Episode] = []
        cur_ls = ls[0][1]
        cur_pl = fixed[0]
        for i, b in enumerate(bounds):
            ls_changed = b in ls_days and (i == 0 or ls_days[b] != cur_ls)
            pl_changed = b in pl_days and i > 0
            if b in ls_days:
                cur_ls = ls_days[b]
            if b in pl_days:
                cur_pl = pl_days[b]
            # DfE's reasons for a new episode: S started to be looked after; L legal status
            # only; P placement (new carers) only; T placement only, same carers; B legal
            # status and placement (new carers); U legal status and placement, same carers.
            same = pl_changed and cur_pl.same_as is not None
            if i == 0:
                rne = "S"
            elif ls_changed and pl_changed:
                rne = "U" if same else "B"
            elif pl_changed:
                rne = "T" if same else "P"
            elif ls_changed:
                rne = "L"
            else:
                continue
            episodes.append(Episode(b, None, rne, cur_ls, cin, cur_pl, None, None))
        for i, ep in enumerate(episodes):
            if i + 1 < len(episodes):
                nxt = episodes[i + 1]
                ep.dec = nxt.decom
                ep.rec = "X1"
                if nxt.rne in ("P", "T", "B", "U"):
                    ep.rpc = self._reason_change(ep.pl, nxt.pl)
            else:
                ep.dec = p.end
                ep.rec = self._final_rec(p, ep)
        p.episodes = episodes

    def _reason_change(self, old: Placement, new: Placement) -> str:
        if new.place in ("A5", "A6"):
            return "CARPL"
        # Why placements change (DfE categories): care planning most often, then carer
        # requests, the child's wishes and provider closures.
        return self.rnd.choices(
            ("CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "CLOSE", "ALLEG", "STAND", "OTHER"),
            (40, 15, 10, 12, 8, 4, 3, 3, 5),
        )[0]

    def _final_rec(self, p: Period, ep: Episode) -> str:
        rnd = self.rnd
        if p.exit == "adopt":
            return "E11" if rnd.random() < 0.85 else "E12"
        if p.exit == "sgo":
            # E45/E46: the order went to the child's former foster carers, so the child was
            # in foster care (U1-U6, DfE rule 516); E47/E48 to other carers
            if ep.pl.place in ("U1", "U2", "U3"):
                return "E45"
            foster = ep.pl.place in ("U4", "U5", "U6")
            return rnd.choice(("E46", "E47", "E48") if foster else ("E47", "E48", "E47"))
        if p.exit == "cao":
            return "E41"
        if p.exit == "home":
            return "E4A" if rnd.random() < 0.9 else "E4B"
        if p.exit == "age18":
            if ep.pl.place in ("U4", "U6", "U1", "U3") and rnd.random() < 0.35:
                return "E17"  # aged 18, stayed with their carers ("staying put")
            return rnd.choices(("E5", "E6", "E7", "E8"), (65, 20, 5, 10))[0]
        return "E8"

    def _missing(self, p: Period) -> None:
        rnd = self.rnd
        c = p.child
        start = max(p.start, T.add_years(c.dob, 11))
        if start >= p.end or rnd.random() > 0.25:
            return
        # About a quarter of looked-after children over 11 go missing at some point; those who
        # do, several times a year (DfE: ~11% of CLA in a year, ~6 episodes each).
        rate = rnd.uniform(1.0, 8.0) / 365.25
        t = start
        while True:
            t += max(1, int(rnd.expovariate(rate)))
            if t >= p.end:
                break
            dur = rnd.choices((0, 1, 2, 3, 5), (30, 40, 15, 10, 5))[0]
            end = min(t + dur, p.end)
            # Back by 31 March: an episode open at the year end would have to be carried into
            # next year's return, which the writer does not do (DfE rules 575-577).
            d = dt.date.fromordinal(t)
            end = min(end, dt.date(d.year + (d.month > 3), 3, 31).toordinal())
            p.missing.append((rnd.choices(("M", "A"), (85, 15))[0], t, end))
            t = end + 1

    def _adoption(self, p: Period, ls: list[tuple[int, str]], adopt_day: int) -> None:
        rnd = self.rnd
        po_day = next(d for d, v in ls if v == "E1")
        decision = max(p.start + 20, po_day - rnd.randint(40, 120))
        match = max(po_day + 1, adopt_day - rnd.randint(14, 45))
        nb = 2 if rnd.random() < 0.8 else 1
        sex = (
            rnd.choices(("MF", "FF", "MM"), (85, 9, 6))[0]
            if nb == 2
            else rnd.choice(("M1", "F1", "F1"))
        )
        # Adopters' legal status agrees with their number and sexes (DfE rules 514, 517):
        # L0 a single adopter; couples L11 (opposite sex) / L12 (same sex) / L2 / L3 (MF).
        if nb == 1:
            lsa = "L0"
        elif sex == "MF":
            lsa = rnd.choices(("L11", "L2", "L3"), (70, 20, 10))[0]
        else:
            lsa = rnd.choices(("L12", "L2"), (75, 25))[0]
        p.adoption = {
            "DATE_INT": decision,
            "DATE_MATCH": match,
            "FOSTER_CARE": "1" if p.placements[-1].place == "A5" else "0",
            "NB_ADOPTR": str(nb),
            "SEX_ADOPTR": sex,
            "LS_ADOPTR": lsa,
        }

    def build_shortbreaks(self, c, start: int, end: int) -> list[Period]:
        """Agreed series of short breaks (V4): one episode per yearly agreement."""
        out = []
        t = start
        post = self.pc.slough()
        while t < end:
            e = min(t + 364, end)
            p = Period(c, t, e, "shortbreak", None)
            p.shortbreak = True
            pl = Placement(t, e, "U6", post, p)
            pl.provider, pl.urn = "PR1", LA_FOSTERING_URN
            p.placements = [pl]
            p.episodes = [Episode(t, e, "S", "V4", "N2", pl, "E8", None)]
            out.append(p)
            t = e + 1
        return out


# placements the year-end steering may split or join: foster care and children's homes
_MOVABLE = frozenset(("U1", "U2", "U3", "U4", "U5", "U6", "K2"))
T_CIN_CODES = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
