"""The demo generator's shards (scst_metrics.demo.generate): a Trust bigger than --shard-scale is
simulated as independent shards written one after the other into the same files. Checked on
tiny shards (scale 0.2, two of them) through the real CLI, the shards written on their own for
comparison, and the real nightly load."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from demo_trust import DEMO_AS_OF, ROOT

from scst_metrics.demo.generate import XML_TAIL, _generate_one, _shard_seed, _ShardUPNs
from scst_metrics.load import load_drop

SHARD = 0.2


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(shard 0 alone, shard 1 alone, the CLI's two-shard Trust of scale 0.4)."""
    root = tmp_path_factory.mktemp("demo_shards")
    alone = []
    for k in range(2):
        folder = root / f"shard{k}"
        _generate_one(folder, DEMO_AS_OF, _shard_seed(1, k), SHARD, lambda _m: None, (k, 2))
        alone.append(folder)
    merged = root / "merged"
    cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(merged)]
    cmd += ["--as-of", DEMO_AS_OF.isoformat(), "--scale", "0.4", "--shard-scale", "0.2"]
    done = subprocess.run([*cmd, "--jobs", "2"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "2 shards of scale 0.2, 2 at a time" in done.stdout
    return alone[0], alone[1], merged


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_the_drop_is_the_shards_one_after_the_other(shards):
    a, b, merged = shards
    assert not (merged / ".shards").exists()
    assert (merged / "as_at.txt").read_text() == "2026-11-24\n"
    rel = _files(merged)
    assert [p for p in rel if p.name != "as_at.txt"] == _files(a) == _files(b)
    assert len(rel) == 12 * 11 + 12 + 10 + 1  # 12 years x 11 SSDA903 files, 12 CIN, 10 local
    for p in rel:
        if p.name == "as_at.txt":
            continue
        got = (merged / p).read_text(encoding="utf-8")
        first, second = (a / p).read_text(encoding="utf-8"), (b / p).read_text(encoding="utf-8")
        if p.suffix == ".xml":
            # one document: shard 0's up to its </Children>, then shard 1's <Child> elements
            start = second.index("<Children>\n") + len("<Children>\n")
            assert got == first[: -len(XML_TAIL)] + second[start:], p
        elif p.name == "hubs.csv":
            assert got == first == second  # the same 29 hubs and teams in every shard
        else:
            # one header, then shard 0's rows, then shard 1's
            assert got == first + second.split("\n", 1)[1], p


def _header_ids(root: Path) -> dict[str, str]:
    """CHILD -> UPN over every year's SSDA903 Header and CIN census (UPNunknown left out)."""
    out = {}
    for path in sorted((root / "ssda903").glob("*/header.csv")):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                out[r["CHILD"]] = r["UPN"]
    for path in sorted((root / "cin").glob("*.xml")):
        for c in ET.parse(path).getroot().iter("ChildIdentifiers"):
            if c.find("UPN") is not None:
                out[c.findtext("LAchildID")] = c.findtext("UPN")
    return out


def test_ids_are_the_shards_own_and_in_order(shards):
    a, b, merged = shards
    ids_a, ids_b = _header_ids(a), _header_ids(b)
    # 8-digit IDs from each shard's block of 90,000,000 / 2 = 45,000,000 numbers:
    # shard 0 from 10,000,000, shard 1 from 55,000,000
    assert all(len(x) == 8 and 10_000_000 <= int(x) < 55_000_000 for x in ids_a)
    assert all(len(x) == 8 and 55_000_000 <= int(x) < 100_000_000 for x in ids_b)
    # no UPN given to two children, also across shards (UN1/UN2 are "unknown" codes)
    upns = [u for u in [*ids_a.values(), *ids_b.values()] if not u.startswith("UN")]
    assert len(upns) > 5000 and len(set(upns)) == len(upns)
    for path in sorted((merged / "ssda903").glob("*/header.csv")):
        with open(path, encoding="utf-8") as f:
            children = [r["CHILD"] for r in csv.DictReader(f)]
        assert children == sorted(set(children)), path  # unique, in ID order
    for year in range(2016, 2028):
        root = ET.parse(merged / "cin" / f"{year}.xml").getroot()
        ids = [c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")]
        assert ids == sorted(set(ids)), year
    with open(merged / "local" / "social_workers.csv", encoding="utf-8") as f:
        workers = [r["worker_id"] for r in csv.DictReader(f)]
    assert {w[:5] for w in workers} == {"SW001", "SW002"}  # SW10001 -> SW00110001 in shard 0
    assert workers == sorted(workers)


def _stocks(root: Path, year: int) -> tuple[int, int]:
    """(children looked after, child protection plans) at 31 March of a collection year."""
    with open(root / "ssda903" / str(year) / "episodes.csv", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        lac = {r["CHILD"] for r in rows if not r["DEC"] and r["LS"] not in ("V3", "V4")}
    doc = ET.parse(root / "cin" / f"{year}.xml").getroot()
    cp = sum(1 for p in doc.iter("ChildProtectionPlans") if p.find("CPPendDate") is None)
    return len(lac), cp


@pytest.mark.parametrize(
    "year, lac, cp",
    # Slough's published figures at 31 March x 0.4 (trust.py): 212 x 0.4 = 84.8 looked after
    # and 218 x 0.4 = 87.2 on a plan in 2019; 234 x 0.4 = 93.6 and 288 x 0.4 = 115.2 in 2022;
    # 173 x 0.4 = 69.2 and 161 x 0.4 = 64.4 in 2025
    [(2019, 84.8, 87.2), (2022, 93.6, 115.2), (2025, 69.2, 64.4)],
)
def test_two_shards_keep_the_published_stocks(shards, year, lac, cp):
    got_lac, got_cp = _stocks(shards[2], year)
    # each shard steers to 0.2 x the figure, so the sum is near 0.4 x it (within 15 %)
    assert abs(got_lac - lac) <= 0.15 * lac, got_lac
    assert abs(got_cp - cp) <= 0.15 * cp, got_cp


def test_the_sharded_drop_loads_without_issues(shards, tmp_path):
    outcome = load_drop(shards[2], tmp_path / "scst.duckdb", log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    assert outcome.issues == 0
    assert outcome.rows_kept > 200_000  # 208,252 for this drop (seed 1, as at 24 Nov 2026)


def test_a_shard_takes_only_its_own_upn_numbers_and_says_when_they_run_out():
    upns = _ShardUPNs(1, 2)  # shard 1 of 2: the odd numbers
    assert "8712000150001" not in upns  # 8712000150001 is odd: free for shard 1
    assert "8712000150002" in upns  # even: shard 0's
    upns.add("8712000150001")
    assert "8712000150001" in upns  # now used
    assert "8712000150003" not in upns  # a free draw: the count of draws in a row restarts
    upns.TRIES = 3
    for _ in range(3):
        assert "8712000150002" in upns
    with pytest.raises(RuntimeError, match="shard 1: no free UPN left .* use a smaller --scale"):
        _ = "8712000150002" in upns  # the 4th draw in a row that finds no free number
