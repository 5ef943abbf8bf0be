"""Running the board's pages in Streamlit's AppTest for the notes and access tests: the whole
app (app.py, so the frame, the sign-in gate and the page), on a published demo file and a
notes database of the test's own."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scst_metrics import notes

ROOT = Path(__file__).resolve().parents[1]


def use_files(monkeypatch, db: Path, notes_folder: Path | None = None) -> None:
    """Point the board at `db`, and (given a folder) at a new SQLite notes database in it."""
    monkeypatch.setenv("SCST_DB", str(db))
    if notes_folder is not None:
        url = f"sqlite:///{notes_folder / 'notes.sqlite'}"
        monkeypatch.setenv("SCST_NOTES_URL", url)
        notes.migrate(url)


def run_page(page: str, session: dict | None = None, **query: str) -> AppTest:
    """Run app.py on `page` (e.g. "pages/lac.py") with `query` in the URL and `session` in
    st.session_state beforehand (e.g. a restricted access.Who)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for name, value in (session or {}).items():
        at.session_state[name] = value
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    return at
