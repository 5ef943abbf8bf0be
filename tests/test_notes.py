"""Commentary and actions (scst_metrics.notes) on SQLite and on a real PostgreSQL server.

The PostgreSQL server is Debian's `postgresql` package, started here: initdb into a temporary
folder, pg_ctl on a free loopback port (as the `postgres` user when the tests run as root,
since PostgreSQL refuses to run as root), stopped and removed at the end.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from datetime import date
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa

from scst_metrics import notes
from scst_metrics.notes import lookups

ROOT = Path(__file__).resolve().parents[1]
PG_HINT = "Install Debian's PostgreSQL server first: apt-get install -y postgresql (.ci/run does)."


def pg_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"PostgreSQL's {name} not found. {PG_HINT}")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        # In /tmp itself: the `postgres` user must be able to reach it ($TMPDIR may not be).
        self.dir = Path(tempfile.mkdtemp(prefix="scst-notes-pg-", dir="/tmp"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # postgres refuses to run as root: run it as `postgres`
            shutil.chown(self.dir, user="postgres", group="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self._names = count(1)

    def run(self, *cmd: str) -> None:
        proc = subprocess.run([*self.as_user, *cmd], cwd=self.dir, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"

    def start(self) -> None:
        self.run(pg_bin("initdb"), "-D", str(self.data), "-U", "scst", "--auth=trust")
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F"
        log = str(self.dir / "server.log")
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", log, "-o", opts, "-w", "start")

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://scst@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on the server; its SQLAlchemy URL."""
        name = f"notes_{next(self._names)}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return self.url(name)


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'notes.sqlite'}"
    return request.getfixturevalue("postgres").new_database()


# Text is stored exactly as typed: markup, a script, a link, trailing spaces, a second line.
AWKWARD = '<script>alert("x")</script> **bold** [link](javascript:alert(1))  \n second line  '


def test_commentary_round_trip(url):
    notes.migrate(url)
    assert notes.schema_version(url) == "0001"
    first = notes.add("lac_rate", date(2026, 10, 17), AWKWARD, author="amy@trust.org", url=url)
    hub = notes.add("lac_rate", date(2026, 10, 1), "Hub 3 only", author="amy@trust.org",
                    hub_id="H03", kind=notes.RESPONSE, url=url)  # fmt: skip
    notes.add("lac_rate", date(2026, 9, 30), "September", author="bob@trust.org", url=url)
    notes.add("cp_plans_rate", date(2026, 10, 1), "Other indicator", author="bob", url=url)

    trust = notes.for_indicator("lac_rate", url=url)
    # whole-Trust notes only, newest month first: October (first), then September
    assert [(n.month, n.text) for n in trust] == [
        (date(2026, 10, 1), AWKWARD),
        (date(2026, 9, 1), "September"),
    ]
    n = trust[0]
    assert (n.id, n.indicator_id, n.hub_id, n.kind, n.author, n.version) == (
        first, "lac_rate", None, "story", "amy@trust.org", 1
    )  # fmt: skip
    assert n.updated_at.tzinfo is not None and n.updated_at == n.created_at
    [h] = notes.for_indicator("lac_rate", hub_id="H03", url=url)
    assert (h.id, h.text, h.kind, h.hub_id) == (hub, "Hub 3 only", "response", "H03")
    assert notes.for_indicator("lac_rate", month=date(2026, 9, 5), url=url)[0].text == "September"
    assert notes.for_indicator("no_such_indicator", url=url) == []
    assert notes.indicators_with_notes(url=url) == {"lac_rate", "cp_plans_rate"}
    assert notes.indicators_with_notes(hub_id="H03", url=url) == {"lac_rate"}
    assert notes.indicators_with_notes(month=date(2026, 9, 1), url=url) == {"lac_rate"}


def test_update_history_and_refused_second_save(url):
    note_id = notes.add("lac_rate", date(2026, 10, 1), "v1 by amy", author="amy", url=url)
    # Amy and Bob both open version 1. Amy saves first.
    saved = notes.update(note_id, "v2 by amy", author="amy", expected_version=1, url=url)
    assert (saved.text, saved.version, saved.author) == ("v2 by amy", 2, "amy")
    with pytest.raises(notes.Conflict) as refused:
        notes.update(note_id, "bob's text", author="bob", expected_version=1, url=url)
    err = refused.value
    assert (err.current.text, err.current.version, err.yours) == ("v2 by amy", 2, "bob's text")
    assert "changed by amy" in str(err) and "both texts are kept" in str(err)
    # Nothing was overwritten...
    assert notes.get(note_id, url=url).text == "v2 by amy"
    # ...and Bob's text is not lost: it is in the history, after the saved versions.
    bob = notes.update(note_id, "v3 by bob", author="bob", expected_version=2, url=url)
    assert bob.version == 3
    steps = [(v.event, v.version, v.text, v.previous_text, v.who)
             for v in notes.history(note_id, url=url)]  # fmt: skip
    assert steps == [
        ("created", 1, "v1 by amy", None, "amy"),
        ("updated", 2, "v2 by amy", "v1 by amy", "amy"),
        ("refused", 1, "bob's text", "v2 by amy", "bob"),
        ("updated", 3, "v3 by bob", "v2 by amy", "bob"),
    ]
    with pytest.raises(notes.NotFound):
        notes.update(9999, "x", author="amy", expected_version=1, url=url)
    with pytest.raises(ValueError, match="empty"):
        notes.update(note_id, "   ", author="amy", expected_version=3, url=url)


def test_two_simultaneous_saves_one_wins(url):
    """Two writers from version 1 at the same instant: exactly one saves, one is refused."""
    note_id = notes.add("lac_rate", date(2026, 10, 1), "v1", author="amy", url=url)
    notes.get(note_id, url=url)  # engine warm before the race
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def save(who: str) -> None:
        barrier.wait()
        try:
            notes.update(note_id, f"by {who}", author=who, expected_version=1, url=url)
            results[who] = "saved"
        except notes.Conflict:
            results[who] = "refused"

    threads = [threading.Thread(target=save, args=(w,)) for w in ("amy", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results.values()) == ["refused", "saved"]
    winner = next(w for w, r in results.items() if r == "saved")
    final = notes.get(note_id, url=url)
    assert (final.text, final.version) == (f"by {winner}", 2)
    assert [v.event for v in notes.history(note_id, url=url)] == ["created", "updated", "refused"]


def test_actions_status_and_history(url):
    oct1 = date(2026, 10, 1)
    a = notes.add_action("lac_rate", oct1, "Review the 12 new entries", owner="Head of LAC",
                         due=date(2026, 11, 30), author="amy", url=url)  # fmt: skip
    b = notes.add_action("lac_rate", oct1, "Audit H03 plans", owner="Hub 3 manager",
                         due=date(2026, 11, 15), author="amy", hub_id=None, url=url)  # fmt: skip
    # On 20 Nov: b (due 15 Nov, open) is overdue; a (due 30 Nov) is open. Soonest due first.
    listed = notes.actions_for("lac_rate", today=date(2026, 11, 20), url=url)
    assert [(x.id, x.status) for x in listed] == [(b, "overdue"), (a, "open")]
    # Due today is not yet overdue (overdue: due date before today).
    assert notes.get_action(b, today=date(2026, 11, 15), url=url).status == "open"
    done = notes.update_action(b, author="bob", expected_version=1, status="done", url=url)
    assert (done.status, done.version, done.author) == ("done", 2, "bob")
    assert notes.get_action(b, today=date(2027, 1, 1), url=url).status == "done"
    moved = notes.update_action(a, author="amy", expected_version=1, due=date(2026, 12, 31),
                                owner="Deputy head", url=url)  # fmt: skip
    assert (moved.due, moved.owner, moved.what) == (
        date(2026, 12, 31), "Deputy head", "Review the 12 new entries"
    )  # fmt: skip
    with pytest.raises(notes.Conflict):
        notes.update_action(a, author="bob", expected_version=1, status="done", url=url)
    with pytest.raises(ValueError, match="worked out from the due date"):
        notes.update_action(a, author="bob", expected_version=2, status="overdue", url=url)
    steps = [(v.event, v.version, v.owner, v.due, v.done, v.who)
             for v in notes.action_history(a, url=url)]  # fmt: skip
    assert steps == [
        ("created", 1, "Head of LAC", date(2026, 11, 30), False, "amy"),
        ("updated", 2, "Deputy head", date(2026, 12, 31), False, "amy"),
        ("refused", 1, "Deputy head", date(2026, 12, 31), True, "bob"),
    ]
    assert notes.actions_for("lac_rate", hub_id="H03", url=url) == []


def test_a_pages_lookups_are_the_one_indicator_reads_in_one_query_each(url):
    oct1, nov15 = date(2026, 10, 1), date(2026, 11, 15)
    story = notes.add("lac_rate", date(2026, 10, 17), "Trust story", author="amy", url=url)
    response = notes.add("lac_rate", oct1, "Trust response", author="amy",
                         kind=notes.RESPONSE, url=url)  # fmt: skip
    hub3 = notes.add("lac_rate", oct1, "Hub 3", author="amy", hub_id="H03", url=url)
    cp = notes.add("cp_plans_rate", oct1, "CP", author="bob", url=url)
    notes.add("lac_rate", date(2026, 9, 30), "September", author="bob", url=url)
    notes.update(story, "Trust story v2", author="bob", expected_version=1, url=url)
    notes.add_action("lac_rate", oct1, "Visit", owner="amy", due=date(2026, 11, 30),
                     author="amy", url=url)  # fmt: skip
    notes.add_action("lac_rate", oct1, "Earlier", owner="amy", due=date(2026, 11, 1),
                     author="amy", url=url)  # fmt: skip
    notes.add_action("cp_plans_rate", oct1, "Hub 3's", owner="bob", due=nov15, author="bob",
                     hub_id="H03", url=url)  # fmt: skip

    month = lookups.notes_of_month(date(2026, 10, 5), url=url)
    # whole Trust, October: lac_rate's story then response (for_indicator's order), and
    # cp_plans_rate's note; not September's, not hub 3's
    assert {k: [n.id for n in v] for k, v in month.items()} == {
        "lac_rate": [story, response],
        "cp_plans_rate": [cp],
    }
    assert month["lac_rate"] == notes.for_indicator("lac_rate", month=oct1, url=url)
    assert month["lac_rate"][0].text == "Trust story v2"
    assert lookups.notes_of_month(oct1, hub_id="H03", url=url) == {
        "lac_rate": [notes.get(hub3, url=url)]
    }
    histories = lookups.note_histories([story, response], url=url)
    assert [v.event for v in histories[story]] == ["created", "updated"]
    assert histories == {
        story: notes.history(story, url=url),
        response: notes.history(response, url=url),
    }
    assert lookups.note_histories([], url=url) == {}
    # whole Trust: lac_rate's two actions, soonest due first; on 15 Nov "Earlier" (due 1 Nov)
    # is overdue, "Visit" (due 30 Nov) open; cp_plans_rate's is hub 3's
    trust = lookups.actions_by_indicator(today=nov15, url=url)
    assert {k: [(a.what, a.status) for a in v] for k, v in trust.items()} == {
        "lac_rate": [("Earlier", "overdue"), ("Visit", "open")]
    }
    assert trust["lac_rate"] == notes.actions_for("lac_rate", today=nov15, url=url)
    assert list(lookups.actions_by_indicator(hub_id="H03", url=url)) == ["cp_plans_rate"]
    assert lookups.indicators_noted([None], url=url) == notes.indicators_with_notes(url=url)
    assert lookups.indicators_noted([None], url=url) == {"lac_rate", "cp_plans_rate"}
    assert lookups.indicators_noted(["H03"], url=url) == {"lac_rate"}
    assert lookups.indicators_noted([None, "H03", "H99"], url=url) == {"lac_rate", "cp_plans_rate"}
    assert lookups.indicators_noted(["H99"], url=url) == set()
    assert lookups.indicators_noted([], url=url) == set()


def test_the_stamp_changes_at_every_write(url):
    """(notes' audit entries, last id, actions' audit entries, last id): one more entry per
    write, a refused save included."""
    oct1 = date(2026, 10, 1)
    stamps = [lookups.stamp(url=url)]
    note = notes.add("lac_rate", oct1, "v1", author="amy", url=url)
    stamps.append(lookups.stamp(url=url))
    notes.update(note, "v2", author="amy", expected_version=1, url=url)
    stamps.append(lookups.stamp(url=url))
    with pytest.raises(notes.Conflict):
        notes.update(note, "late", author="bob", expected_version=1, url=url)
    stamps.append(lookups.stamp(url=url))
    action = notes.add_action("lac_rate", oct1, "Act", owner="amy", due=date(2026, 11, 1),
                              author="amy", url=url)  # fmt: skip
    stamps.append(lookups.stamp(url=url))
    notes.update_action(action, author="amy", expected_version=1, status="done", url=url)
    stamps.append(lookups.stamp(url=url))
    assert stamps == [
        (0, 0, 0, 0),
        (1, 1, 0, 0),  # created
        (2, 2, 0, 0),  # updated
        (3, 3, 0, 0),  # refused
        (3, 3, 1, 1),  # action created
        (3, 3, 2, 2),  # action done
    ]


def test_default_url_is_sqlite_under_data(tmp_path, monkeypatch):
    monkeypatch.delenv("SCST_NOTES_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    note_id = notes.add("lac_rate", date(2026, 10, 1), "kept in data/", author="amy")
    assert (tmp_path / "data" / "notes.sqlite").is_file()
    assert notes.get(note_id).text == "kept in data/"
    # $SCST_NOTES_URL, when set, is where notes go
    other = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("SCST_NOTES_URL", f"sqlite:///{other}")
    notes.add("lac_rate", date(2026, 10, 1), "elsewhere", author="amy")
    assert [n.text for n in notes.for_indicator("lac_rate")] == ["elsewhere"]
    assert other.is_file()


def test_gitignore_keeps_the_default_notes_file_out():
    proc = subprocess.run(["git", "check-ignore", "-q", "data/notes.sqlite"], cwd=ROOT)
    assert proc.returncode == 0, "data/notes.sqlite must be ignored by git"


# An app server: a separate Python process using the library, answering one JSON command a line.
APP_SERVER = r"""
import json, sys
from datetime import date
from scst_metrics import notes
url = sys.argv[1]
notes.migrate(url)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    try:
        if cmd["op"] == "add":
            out = notes.add(cmd["indicator"], date.fromisoformat(cmd["month"]), cmd["text"],
                            author=cmd["author"], url=url)
        elif cmd["op"] == "list":
            out = [[n.id, n.text, n.author, n.version]
                   for n in notes.for_indicator(cmd["indicator"], url=url)]
        elif cmd["op"] == "update":
            out = notes.update(cmd["id"], cmd["text"], author=cmd["author"],
                               expected_version=cmd["version"], url=url).version
        print(json.dumps({"ok": out}), flush=True)
    except notes.Conflict as e:
        print(json.dumps({"conflict": str(e)}), flush=True)
"""


class AppServer:
    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", APP_SERVER, url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> AppServer:
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}
        return self

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(30) == 0


def test_two_app_servers_share_one_postgresql(postgres):
    url = postgres.new_database()
    # Both servers start at once against an empty database: both migrate, one waits its turn.
    one, two = AppServer(url), AppServer(url)
    one.wait_ready(), two.wait_ready()
    try:
        assert one.proc.pid != two.proc.pid
        assert two.ask(op="list", indicator="lac_rate") == {"ok": []}
        note_id = one.ask(op="add", indicator="lac_rate", month="2026-10-01",
                          text="Written on server one", author="amy")["ok"]  # fmt: skip
        assert two.ask(op="list", indicator="lac_rate") == {
            "ok": [[note_id, "Written on server one", "amy", 1]]
        }
        # Both had version 1 on screen; server two saves first, server one is refused.
        assert two.ask(op="update", id=note_id, text="two", author="bob", version=1) == {"ok": 2}
        refused = one.ask(op="update", id=note_id, text="one", author="amy", version=1)
        assert "changed by bob" in refused["conflict"]
        assert one.ask(op="list", indicator="lac_rate") == {"ok": [[note_id, "two", "bob", 2]]}
    finally:
        one.close()
        two.close()
    assert notes.schema_version(url) == "0001"


def test_migrations_make_the_tables_the_library_queries(url):
    """The migrated schema has exactly the columns scst_metrics.notes.db declares."""
    from scst_metrics.notes import db

    assert notes.schema_version(url) is None  # a new, empty database
    notes.migrate(url)
    notes.migrate(url)  # again: nothing to do
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        for table in db.metadata.sorted_tables:
            migrated = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            declared = {c.name: c.nullable for c in table.columns}
            assert migrated == declared, table.name
    finally:
        engine.dispose()
    assert notes.schema_version(url) == "0001"
