"""No child's details reach the board: damaged drops through the real loader, then every cell
of the board's file, every load log line and every message is searched for the drop's child
IDs, UPNs, dates of birth and postcodes (issue 9).

The children's identifiers are made to be found only where they were written: IDs start with
KX (never in a hex digest or a run id), dates of birth are not month ends (never a period end).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import duckdb
import pytest
from drops import EPISODES, HEADER, board_query, query, write_drop

from scst_metrics.extracts.schema import ALL_TABLES
from scst_metrics.load import detail_path, load_drop
from scst_metrics.load.history import log_path
from scst_metrics.published import snapshot

CHILD_IDS = ["KX48213", "KX59371", "KX60112", "KX77777", "KX88888"]
UPNS = ["A123456789012", "B987654321098", "C555666777888"]
DOBS = ["17/08/2011", "2011-08-17", "23/02/2013", "2013-02-23", "31/02/2012", "2012-02-31"]
POSTCODES = ["SL1 2BX", "SL3 7QH", "SL9Q 1", "SL2 9PL"]
SECRETS = CHILD_IDS + UPNS + DOBS + POSTCODES + [p.replace(" ", "") for p in POSTCODES]

HEADER_ROWS = (
    "KX48213,1,17/08/2011,WBRI,A123456789012,,\n"
    "KX59371,2,23/02/2013,ABAN,B987654321098,,\n"
    "KX60112,1,31/02/2012,WBRI,,,\n"  # not a real date of birth: row kept out
)
EPISODE_ROWS = (
    "KX48213,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 2BX,SL3 7QH,\n"
    "KX59371,10/06/2019,S,V2,N2,K2,PR4,01/01/2020,E4A,,SL9Q 1,,\n"  # postcode blanked
    "KX59371,10/06/2019,S,V2,N2,K2,PR4,01/01/2020,E4A,,,,\n"  # duplicate key
    "KX77777,10/06/2019,S,V2,N2,K2,PR4,,,,SL2 9PL,,\n"  # not in Header: kept out
    "KX48213,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 2BX,SL3 7QH,,EXTRA\n"  # a field too many
)
LOCAL = {
    "local/hubs.csv": "hub_id,hub_name,hub_kind,opened,closed\n"
    "H01,Hub 1 - Britwell,locality,2016-08-01,\nL01,LAC 1,lac,2016-08-01,\n",
    "local/allocations.csv": "child_id,hub_id,worker_id,start_date,end_date\n"
    "KX48213,L01,W1,2019-05-01,\nKX59371,L01,W1,2019-06-10,2020-01-01\n"
    "KX48213,L01,W1,2019-05-02,\n",  # overlaps the first: kept out
}


def _cin_child(ident: str, upn: str, birth: str) -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{ident}</LAchildID><UPN>{upn}</UPN>"
        f"<PersonBirthDate>{birth}</PersonBirthDate><Sex>1</Sex></ChildIdentifiers>"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
        "<CINdetails><CINreferralDate>2019-05-01</CINreferralDate><ReferralSource>1A"
        "</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>"
        "</CINdetails></Child>"
    )


CIN = (
    '<?xml version="1.0" encoding="utf-8"?><Message><Header><CollectionDetails>'
    "<Collection>CIN</Collection><Year>2020</Year><ReferenceDate>2020-03-31</ReferenceDate>"
    "</CollectionDetails></Header><Children>"
    + _cin_child("KX48213", "A123456789012", "2011-08-17")
    + _cin_child("KX88888", "C555666777888", "2012-02-31")  # not a real date of birth
    + "</Children></Message>\n"
)
DAMAGED = {
    "cin/2020.xml": CIN,
    "ssda903/2020/header.csv": HEADER + HEADER_ROWS,
    "ssda903/2020/episodes.csv": EPISODES + EPISODE_ROWS,
    **LOCAL,
}


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _cell_text(cell) -> str:
    """A cell as text; a fraction to 4 decimal places: the 15 digits of a computed rate
    (12.158730158730158 %) spell a 6-digit demo child ID by chance, and no identifier is a
    fraction. A whole number stays whole (a child ID stored as a number is still found); a
    list (the overview's sparklines) is its cells."""
    if isinstance(cell, float) and not cell.is_integer():
        return repr(round(cell, 4))
    if isinstance(cell, float):
        return str(int(cell))
    if isinstance(cell, (list, tuple)):
        return ", ".join(_cell_text(c) for c in cell)
    return str(cell)


def board_text(db: Path) -> str:
    """Every cell of every table of the board's file, as text."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{db}' AS b (READ_ONLY)")
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'b'"
            ).fetchall()
        ]
        cells = []
        for n in names:
            for row in con.execute(f'SELECT * FROM b.main."{n}"').fetchall():
                cells += [_cell_text(c) for c in row]
        return "\n".join(names + cells)
    finally:
        con.close()


def run(drop: Path, db: Path, **kw):
    lines: list[str] = []
    outcome = load_drop(drop, db, log=lines.append, **kw)
    return outcome, "\n".join(lines)


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    """A published load of a damaged drop, then three refused ones on top of it."""
    tmp = tmp_path_factory.mktemp("privacy")
    db = tmp / "data" / "scst.duckdb"
    texts = []
    published, log = run(write_drop(tmp / "d1", DAMAGED), db)
    assert published.published, published.message
    texts += [published.message, log]
    # a Header file without its header row: its first line is a child's record
    no_header = dict(DAMAGED, **{"ssda903/2020/header.csv": HEADER_ROWS})
    # a duplicated column in the header
    twice = dict(DAMAGED, **{"ssda903/2020/header.csv": HEADER.strip() + ",DOB\n" + "x\n"})
    refusals = []
    for name, files in (("d2", no_header), ("d3", twice)):
        outcome, log = run(write_drop(tmp / name, files), db)
        refusals.append(outcome)
        texts += [outcome.message, log]
    # a link to a file of child records outside the drop
    outside = tmp / "outside.csv"
    outside.write_text(HEADER + HEADER_ROWS, encoding="utf-8")
    linked = write_drop(tmp / "d4", DAMAGED)
    (linked / "ssda903/2020/reviews.csv").symlink_to(outside)
    outcome, log = run(linked, db)
    refusals.append(outcome)
    texts += [outcome.message, log]
    # a CIN census cut short in the middle of a child's identifiers
    cut = dict(DAMAGED, **{"cin/2020.xml": CIN[: CIN.index("C555666777888") + 6]})
    outcome, log = run(write_drop(tmp / "d6", cut), db)
    refusals.append(outcome)
    texts += [outcome.message, log]
    # a good load brings the refused runs into the board's history
    final, log = run(write_drop(tmp / "d5", DAMAGED), db)
    assert final.published, final.message
    texts.append(log)
    return db, published, refusals, "\n".join(texts)


def test_the_loader_saw_the_childrens_details(damaged):
    """The values went through the loader: the detail file holds them (so the test bites)."""
    db, *_ = damaged
    assert query(db, "SELECT child, upn FROM s903_header ORDER BY child") == [
        ("KX48213", "A123456789012"),
        ("KX59371", "B987654321098"),
    ]  # KX60112 kept out: 31/02/2012 is not a date
    assert query(db, "SELECT value FROM load_issues WHERE rule = 'unknown_reference'") == [
        ("KX77777",),
        ("KX77777",),
    ]  # two published loads of the same drop, one orphan episode each
    assert query(db, "SELECT child_id, upn FROM cin_children ORDER BY child_id") == [
        ("KX48213", "A123456789012"),
        ("KX88888", "C555666777888"),
    ]  # an optional birth date that is not a date is blanked, the child kept
    assert query(
        db,
        "SELECT DISTINCT file, rule, value FROM load_issues "
        "WHERE column_name = 'birth_date' AND value IS NOT NULL",
    ) == [("cin/2020.xml", "impossible_date", "2012-02-31")]  # refused runs' copies: redacted


def test_every_load_was_refused_for_its_own_reason(damaged):
    _, _, (no_header, twice, linked, cut), _ = damaged
    assert not no_header.published and "ssda903/2020/header.csv: line 1" in no_header.message
    assert not twice.published
    assert "ssda903/2020/header.csv: its header has DOB (column 8) twice" in twice.message
    assert not linked.published
    assert "ssda903/2020/reviews.csv: is a symbolic link" in linked.message
    assert not cut.published and "cin/2020.xml: ends before the XML is complete" in cut.message


def test_no_childs_details_in_the_board_file_the_log_or_the_messages(damaged):
    db, _, _, texts = damaged
    assert leaks(texts) == []
    assert leaks(log_path(db).read_text(encoding="utf-8")) == []
    assert leaks(board_text(db)) == []


def test_the_board_file_holds_no_child_level_table(damaged):
    db, *_ = damaged
    tables = {r[0] for r in board_query(db, "SHOW TABLES")}
    child_level = {t.name for t in ALL_TABLES} - {"hubs"}
    assert tables & child_level == set()
    assert {"indicator_values", "indicators", "hubs", "load_meta", "load_issues"} <= tables
    assert "ref_postcodes" not in tables and "s903_episodes" in {
        r[0] for r in query(db, "SHOW TABLES")
    }
    # the data quality page still has what it shows: rule, file, line, column (no value)
    assert (
        board_query(
            db,
            "SELECT file, row_number, column_name, value FROM load_issues "
            "WHERE rule = 'unknown_reference' ORDER BY run_id",
        )
        == [("ssda903/2020/episodes.csv", 5, "CHILD", None)] * 2
    )


def test_the_detail_file_is_owner_only_and_the_board_never_opens_it(damaged):
    db, *_ = damaged
    detail = detail_path(db)
    assert detail == db.with_name("scst.detail.duckdb")
    assert stat.S_IMODE(os.stat(detail).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o640
    with pytest.raises(ValueError, match="detail file"), snapshot(detail):
        pass


def test_refusals_in_the_banner_log_hold_no_values(damaged):
    db, *_ = damaged
    records = [json.loads(line) for line in log_path(db).read_text().splitlines()]
    assert len(records) == 4
    assert all(leaks(json.dumps(r)) == [] for r in records)


# --- the demo Trust, damaged ------------------------------------------------------------


def _demo_secrets(drop: Path) -> set[str]:
    """Every child ID, UPN, date of birth and postcode the demo drop's SSDA903 files hold.

    Dates of birth in ISO form are searched only when not a month end (a month end is also a
    period end of every series); dd/mm/yyyy always."""
    import csv
    import datetime as dt

    found: set[str] = set()
    for path in drop.glob("ssda903/*/*.csv"):
        with path.open(encoding="utf-8") as fh:
            for rec in csv.DictReader(fh):
                for col in ("CHILD", "UPN", "HOME_POST", "PL_POST"):
                    if rec.get(col):
                        found.add(rec[col])
                if rec.get("DOB"):
                    found.add(rec["DOB"])
                    born = dt.datetime.strptime(rec["DOB"], "%d/%m/%Y").date()
                    if (born + dt.timedelta(days=1)).day != 1:
                        found.add(born.isoformat())
    return found


@pytest.fixture(scope="module")
def damaged_demo(tmp_path_factory):
    import datetime as dt

    from scst_metrics.demo.generate import generate

    tmp = tmp_path_factory.mktemp("privacy_demo")
    drop = tmp / "drop"
    generate(drop, dt.date(2026, 10, 31), seed=1, scale=0.05, progress=lambda _: None)
    secrets = _demo_secrets(drop)
    header = drop / "ssda903/2026/header.csv"
    episodes = drop / "ssda903/2026/episodes.csv"
    rows = header.read_text(encoding="utf-8").splitlines(keepends=True)
    ep_rows = episodes.read_text(encoding="utf-8").splitlines(keepends=True)
    # row damage the load keeps out: a field too many, a date of birth that is not a date
    episodes.write_text("".join(ep_rows) + ep_rows[1].rstrip("\n") + ",X\n", encoding="utf-8")
    child = rows[1].split(",")
    header.write_text(
        "".join(rows) + ",".join([child[0] + "9", child[1], "31/02/2012"] + child[3:]),
        encoding="utf-8",
    )
    secrets |= {child[0] + "9", "31/02/2012"}
    db = tmp / "data" / "scst.duckdb"
    texts = []
    outcome, log = run(drop, db)
    assert outcome.published, outcome.message
    texts += [outcome.message, log]
    # refused: the Header without its header row, then with a column twice
    for damage in ("".join(rows[1:]), rows[0].rstrip("\n") + ",UPN\n" + "".join(rows[1:])):
        header.write_text(damage, encoding="utf-8")
        outcome, log = run(drop, db)
        assert not outcome.published
        texts += [outcome.message, log]
    return db, secrets, "\n".join(texts)


def test_a_damaged_demo_trust_leaves_no_childs_details_on_the_board(damaged_demo):
    db, secrets, texts = damaged_demo
    assert len(secrets) > 100  # the search is for real values: children, UPNs, DOBs, postcodes
    assert any(
        s in query(db, "SELECT string_agg(child, ',') FROM s903_header")[0][0] for s in secrets
    )
    for where, text in (
        ("messages and load log", texts),
        ("refusal log", log_path(db).read_text(encoding="utf-8")),
        ("board file", board_text(db)),
    ):
        found = sorted(s for s in secrets if s in text)
        assert found == [], f"{where}: {found[:5]}"
