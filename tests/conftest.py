"""One demo Trust for the whole test session.

The full-size demo Trust (seed 1, as of 24 November 2026) is written once by the real CLI
(`python -m scst_metrics.demo`) and loaded once by the real nightly load; every test that needs
the demo's files or its published database uses these session fixtures instead of building its
own. Nothing may write into them: a test that needs to change a drop or a database copies it.

    demo_drop  the drop folder (ssda903/, cin/, local/, as_at.txt)
    demo_db    the published DuckDB file the loader built from it (demo_db.parent / "drop" is
               demo_drop; demo_db.parent / "drop_path.txt" names it, as test_app_pages reads)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from demo_trust import write_demo


@pytest.fixture(scope="session", autouse=True)
def notes_outside_the_repository(tmp_path_factory) -> None:
    """Commentary written by any test (the app's pages, the pack, a browser session's server)
    goes to a notes database of the test session, never to the checkout's data/notes.sqlite.
    Tests of the default location unset it themselves (monkeypatch)."""
    if "SCST_NOTES_URL" not in os.environ:
        notes = tmp_path_factory.mktemp("notes") / "notes.sqlite"
        os.environ["SCST_NOTES_URL"] = f"sqlite:///{notes}"


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo_trust")


@pytest.fixture(scope="session")
def demo_drop(demo_root) -> Path:
    """The full-size demo Trust's drop (seed 1, as of 2026-11-24), written once per session."""
    return write_demo(demo_root / "drop")


@pytest.fixture(scope="session")
def demo_db(demo_root, demo_drop) -> Path:
    """demo_drop loaded by the real nightly load, published at demo_root/scst.duckdb."""
    from scst_metrics.load import load_drop

    db = demo_root / "scst.duckdb"
    outcome = load_drop(demo_drop, db, log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    (demo_root / "drop_path.txt").write_text(str(demo_drop))
    return db
