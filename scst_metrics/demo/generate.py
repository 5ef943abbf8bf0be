"""Simulate the Trust and write the whole drop.

A Trust up to `SHARD_SCALE` times the demo is simulated whole (the demo, byte for byte). A
bigger one -- up to England's size, about `--scale 420` -- is simulated as independent shards:
ceil(scale / SHARD_SCALE) Trusts of equal scale, each with its own seeded random streams and its
own ranges of child, worker and fostering IDs, run in up to `jobs` processes and written into
the same files one after the other (CSV rows appended under one header, each year's CIN census
XML one document whose <Children> are appended shard by shard). Every shard keeps the demo's
rates, so the sum keeps the published rates per 10,000 scaled with the population, on the same
hubs and teams; memory is bounded by one shard per process.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import local as L
from . import trust as T
from .lac import CareBuilder
from .people import PostcodeBook
from .simulate import Trust
from .write903 import write_903
from .writecin import write_cin

SHARD_SCALE = 10.0  # the largest Trust simulated whole; bigger ones are split into shards
SHARD_ID_SPACE = 90_000_000  # sharded Trusts: 8-digit child IDs, a block of them per shard
XML_TAIL = "</Children>\n</Message>\n"


def _ids(gen: np.random.Generator, n: int) -> list[str]:
    """Plausible 6-digit case-management IDs (7 digits if the Trust is scaled past them)."""
    if n <= 800_000:
        nums = gen.choice(900_000, size=n, replace=False) + 100_000
        return [str(x) for x in nums.tolist()]
    nums = gen.choice(9_000_000, size=n, replace=False) + 1_000_000
    return [str(x) for x in nums.tolist()]


def _shard_ids(gen: np.random.Generator, n: int, k: int, shards: int) -> list[str]:
    """8-digit IDs from shard k's own block: blocks ascend with k, so shard files written one
    after the other stay in child ID order."""
    block = SHARD_ID_SPACE // shards
    if n > block:
        raise ValueError(f"shard {k} has {n:,} children, more than its {block:,} IDs")
    nums = gen.choice(block, size=n, replace=False) + 10_000_000 + k * block
    return [str(x) for x in nums.tolist()]


class _ShardUPNs(set):
    """The set of UPNs a shard's People has used, seen as also holding every UPN that belongs
    to another shard (by its number mod the shard count): UPNs stay unique across shards.

    A UPN has room for 1,000,000 children per LA and year of school entry; at England's size
    (--scale 420) the busiest entry years fill ~87 % of it. If a shard's share is ever full,
    say so instead of drawing for ever."""

    TRIES = 100_000

    def __init__(self, k: int, shards: int) -> None:
        super().__init__()
        self.k, self.shards, self.misses = k, shards, 0

    def __contains__(self, body: object) -> bool:
        taken = int(str(body)) % self.shards != self.k or super().__contains__(body)
        self.misses = self.misses + 1 if taken else 0
        if self.misses > self.TRIES:
            raise RuntimeError(
                f"shard {self.k}: no free UPN left for an entry year after {self.TRIES:,} "
                "draws; the Trust is too big for one LA's UPNs: use a smaller --scale"
            )
        return taken


def generate(
    out: Path,
    as_of: dt.date,
    *,
    seed: int = 1,
    scale: float = 1.0,
    progress: Callable[[str], None] = print,
    jobs: int = 1,
    shard_scale: float = SHARD_SCALE,
) -> dict[str, int]:
    """Write the drop for a demo Trust into out; returns row counts per file kind.

    Trusts bigger than shard_scale are simulated in ceil(scale / shard_scale) shards, jobs at
    a time (see the module docstring)."""
    out = Path(out)
    for sub in ("ssda903", "cin", "local", ".shards"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    out.mkdir(parents=True, exist_ok=True)
    if scale <= shard_scale:
        counts = _generate_one(out, as_of, seed, scale, progress)
    else:
        counts = _generate_sharded(out, as_of, seed, scale, progress, jobs, shard_scale)
    (out / "as_at.txt").write_text(as_of.isoformat() + "\n", encoding="utf-8")
    return counts


def _generate_one(
    out: Path,
    as_of: dt.date,
    seed: int,
    scale: float,
    progress: Callable[[str], None],
    shard: tuple[int, int] | None = None,
) -> dict[str, int]:
    """One whole Trust (or shard (k, shards) of a bigger one) written into out."""
    trust = Trust(as_of, seed, scale)
    if shard is not None:
        trust.people.upns = _ShardUPNs(*shard)
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
    if shard is None:
        trust.ids = _ids(trust.gen, len(people))
    else:
        trust.ids = _shard_ids(trust.gen, len(people), *shard)
    trust.review_seed = int(trust.gen.integers(0, 2**63 - 1))
    progress("built episodes and fostering")

    intervals = L.allocation_intervals(trust)
    wf = L.Workforce(trust, intervals)
    alloc, sw_eps = L.allocations(trust, wf, intervals)
    if shard is not None:
        _shard_local_ids(shard[0], wf, alloc, sw_eps, fost, fp_rows)
    counts: dict[str, int] = {}
    write_903(trust, out, sw_eps, counts)
    progress("wrote ssda903")
    write_cin(trust, out, counts)
    progress("wrote cin")
    _write_local(trust, out, wf, alloc, intervals, fost, fp_rows, counts)
    progress("wrote local")
    return counts


def _shard_local_ids(
    k: int, wf: L.Workforce, alloc: list, sw_eps: dict, fost: L.Fostering, fp_rows: list
) -> None:
    """Give shard k's social workers (SW10001 -> SW00110001), fostering households and
    applications IDs no other shard has; prefixes ascend with k, so files stay in ID order."""

    def sid(x: str) -> str:
        return f"{x[:2]}{k + 1:03d}{x[2:]}" if x else x

    for w in wf.workers:
        w[0] = sid(w[0])
    for r in alloc:
        r[2] = sid(r[2])
    for eps in sw_eps.values():
        for e in eps:
            e[0] = sid(e[0])
    for h in fost.households:
        h[0] = sid(h[0])
    for a in fost.apps:
        a[0], a[5] = sid(a[0]), sid(a[5])
    for r in fp_rows:
        r[1] = sid(r[1])


def _shard_seed(seed: int, k: int) -> int:
    """Shard k's seed: an independent stream derived from the Trust's seed."""
    return int(np.random.SeedSequence([seed, k]).generate_state(2, np.uint64)[0] >> 1)


def _run_shard(task: tuple) -> tuple[int, dict[str, int]]:
    folder, as_of, seed, scale, k, shards = task
    counts = _generate_one(folder, as_of, seed, scale, lambda _m: None, (k, shards))
    return k, counts


def _generate_sharded(
    out: Path,
    as_of: dt.date,
    seed: int,
    scale: float,
    progress: Callable[[str], None],
    jobs: int,
    shard_scale: float,
) -> dict[str, int]:
    shards = math.ceil(scale / shard_scale)
    progress(f"{shards} shards of scale {scale / shards:g}, {jobs} at a time")
    root = out / ".shards"
    tasks = [
        (root / f"{k:04d}", as_of, _shard_seed(seed, k), scale / shards, k, shards)
        for k in range(shards)
    ]
    counts: dict[str, int] = {}
    xml_files: set[Path] = set()
    PostcodeBook._lists()  # read once here: the shards' processes inherit it
    if jobs <= 1:
        results = map(_run_shard, tasks)
        pool = None
    else:
        # a fresh process per shard: each gives its memory back when its shard is written
        pool = multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=1)
        results = pool.imap(_run_shard, tasks)
    try:
        for k, shard_counts in results:
            _append_shard(root / f"{k:04d}", out, k == 0, xml_files)
            for name, n in shard_counts.items():
                if k == 0 or name != "local/hubs":  # every shard writes the same hubs
                    counts[name] = counts.get(name, 0) + n
            progress(f"shard {k + 1}/{shards} written")
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    for path in sorted(xml_files):
        with open(path, "a", encoding="utf-8") as f:
            f.write(XML_TAIL)
    shutil.rmtree(root)
    return counts


def _append_shard(folder: Path, out: Path, first: bool, xml_files: set[Path]) -> None:
    """Append a shard's files to the drop's: CSV rows under the first shard's header, and each
    CIN census file's <Child> elements into the year's one document (closed at the end)."""
    for src in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = src.relative_to(folder)
        dest = out / rel
        if src.suffix == ".xml":
            text = src.read_text(encoding="utf-8")
            if not text.endswith(XML_TAIL):
                raise ValueError(f"{src}: a shard's CIN census file does not end {XML_TAIL!r}")
            body = text[: -len(XML_TAIL)]
            if not first:
                body = body[body.index("<Children>\n") + len("<Children>\n") :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "a", encoding="utf-8") as f:
                f.write(body)
            xml_files.add(dest)
        elif src.suffix == ".csv":
            if first:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(src, dest)
            elif rel.name != "hubs.csv":
                with open(src, "rb") as f, open(dest, "ab") as g:
                    f.readline()  # the header, written once by the first shard
                    shutil.copyfileobj(f, g, 1 << 20)
        src.unlink(missing_ok=True)


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
