"""Simulate the Trust and write the whole drop."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import local as L
from . import trust as T
from .lac import CareBuilder
from .simulate import Trust
from .write903 import write_903
from .writecin import write_cin


def _ids(gen: np.random.Generator, n: int) -> list[str]:
    """Plausible 6-digit case-management IDs (7 digits if the Trust is scaled past them)."""
    if n <= 800_000:
        nums = gen.choice(900_000, size=n, replace=False) + 100_000
        return [str(x) for x in nums.tolist()]
    nums = gen.choice(9_000_000, size=n, replace=False) + 1_000_000
    return [str(x) for x in nums.tolist()]


def generate(
    out: Path,
    as_of: dt.date,
    *,
    seed: int = 1,
    scale: float = 1.0,
    progress: Callable[[str], None] = print,
) -> dict[str, int]:
    """Write the drop for a demo Trust into out; returns row counts per file kind."""
    out = Path(out)
    for sub in ("ssda903", "cin", "local"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    out.mkdir(parents=True, exist_ok=True)
    trust = Trust(as_of, seed, scale)
    trust.run()
    people = trust.people.children
    progress(
        f"simulated {len(people):,} children, {len(trust.referrals):,} referrals, "
        f"{len(trust.periods):,} periods of care"
    )

    builder = CareBuilder(trust.rnd, trust.pc, trust.as_of)
    for p in trust.periods:
        builder.build(p)
    for c in people:
        if c.shortbreak:
            start = c.refs[0].a_auth + 30
            end = min(T.add_years(c.dob, 18) - 1, trust.as_of + 400)
            sb = builder.build_shortbreaks(c, start, end)
            c.periods.extend(sb)
            trust.periods.extend(sb)
    fost = L.Fostering(trust)
    placements = [pl for p in trust.periods if not p.shortbreak for pl in p.placements]
    fp_rows = fost.assign(placements)
    trust.ids = _ids(trust.gen, len(people))
    trust.review_seed = int(trust.gen.integers(0, 2**63 - 1))
    progress("built episodes and fostering")

    intervals = L.allocation_intervals(trust)
    wf = L.Workforce(trust, intervals)
    alloc, sw_eps = L.allocations(trust, wf, intervals)
    counts: dict[str, int] = {}
    write_903(trust, out, sw_eps, counts)
    progress("wrote ssda903")
    write_cin(trust, out, counts)
    progress("wrote cin")
    _write_local(trust, out, wf, alloc, intervals, fost, fp_rows, counts)
    (out / "as_at.txt").write_text(as_of.isoformat() + "\n", encoding="utf-8")
    progress("wrote local")
    return counts


def _write_local(
    trust: Trust,
    out: Path,
    wf: L.Workforce,
    alloc: list,
    intervals: list,
    fost: L.Fostering,
    fp_rows: list,
    counts: dict,
) -> None:
    folder = out / "local"
    folder.mkdir(parents=True, exist_ok=True)
    cal, as_of, ids = trust.cal, trust.as_of, trust.ids
    iso = cal.s_iso
    H = L.HEADERS

    def opt(d: int | None) -> str:
        return "" if d is None or d > as_of else iso(d)

    counts["local/hubs"] = L.write_csv(
        folder / "hubs.csv",
        H["hubs"],
        (
            [
                h.hub_id,
                h.name,
                h.kind,
                iso(h.opened.toordinal()),
                opt(h.closed.toordinal() if h.closed else None),
            ]
            for h in T.HUBS
            if h.opened.toordinal() <= as_of
        ),
    )
    alloc.sort(key=lambda r: (ids[r[0]], r[3]))
    counts["local/allocations"] = L.write_csv(
        folder / "allocations.csv",
        H["allocations"],
        ([ids[r[0]], r[1], r[2], iso(r[3]), opt(r[4])] for r in alloc),
    )
    wf.workers.sort(key=lambda w: (w[0], w[4]))
    counts["local/social_workers"] = L.write_csv(
        folder / "social_workers.csv",
        H["social_workers"],
        ([w[0], w[1], f"{w[2]:.1f}", w[3], iso(w[4]), opt(w[5])] for w in wf.workers),
    )

    c, d, k = L.visits(trust, intervals)
    kinds = list(L.VISIT_GAPS)
    people = trust.people.children
    rnd = trust.rnd
    dob = np.array([p.dob for p in people], dtype=np.int64)
    young = (d - dob[c]) < 5 * 365
    seen = np.where(young, "", np.where(trust.gen.random(len(c)) < 0.82, "Y", "N"))
    idstr = np.array(ids, dtype=object)
    lines = [",".join(H["visits"])]
    iso_arr = cal.iso
    o0 = T.ORD0
    cs, ds, ks, ss = idstr[c].tolist(), d.tolist(), k.tolist(), seen.tolist()
    lines.extend(
        f"{a},{iso_arr[b - o0]},{kinds[kk]},{s}" for a, b, kk, s in zip(cs, ds, ks, ss, strict=True)
    )
    order = np.argsort(idstr[c], kind="stable")
    if len(order):
        lines = [lines[0]] + [lines[i + 1] for i in order.tolist()]
    (folder / "visits.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts["local/visits"] = len(lines) - 1

    hh = [h for h in fost.households if h[2] <= as_of]
    counts["local/fostering_households"] = L.write_csv(
        folder / "fostering_households.csv",
        H["fostering_households"],
        ([h[0], h[1], iso(h[2]), h[3], opt(h[4]), h[5] if h[4] <= as_of else ""] for h in hh),
    )
    apps = []
    for a in fost.apps:
        if a[1] > as_of:
            continue
        decided = a[3] is not None and a[3] <= as_of
        apps.append(
            [
                a[0],
                iso(a[1]),
                opt(a[2]),
                opt(a[3]),
                a[4] if decided else "",
                a[5] if decided else "",
            ]
        )
    counts["local/fostering_applications"] = L.write_csv(
        folder / "fostering_applications.csv", H["fostering_applications"], apps
    )
    fp = sorted((r for r in fp_rows if r[2] <= as_of), key=lambda r: (ids[r[0]], r[2]))
    counts["local/foster_placements"] = L.write_csv(
        folder / "foster_placements.csv",
        H["foster_placements"],
        ([ids[r[0]], r[1], iso(r[2]), opt(r[3])] for r in fp),
    )

    peps, att, susp = L.education(trust)
    peps.sort(key=lambda r: (ids[r[0]], r[1]))
    counts["local/peps"] = L.write_csv(
        folder / "peps.csv", H["peps"], ([ids[r[0]], iso(r[1]), r[2]] for r in peps)
    )
    term_order = {"autumn": 0, "spring": 1, "summer": 2}
    att.sort(key=lambda r: (ids[r[0]], r[1], term_order[r[2]]))
    counts["local/attendance"] = L.write_csv(
        folder / "attendance.csv", H["attendance"], ([ids[r[0]], *r[1:]] for r in att)
    )
    susp.sort(key=lambda r: (ids[r[0]], r[1]))
    seen_keys = set()
    srows = []
    for r in susp:
        key = (r[0], r[1], r[2])
        if key in seen_keys:
            continue
        seen_keys.add(key)
        srows.append([ids[r[0]], iso(r[1]), r[2], "" if r[3] is None else r[3]])
    counts["local/suspensions"] = L.write_csv(folder / "suspensions.csv", H["suspensions"], srows)
    del rnd
