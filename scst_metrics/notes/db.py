"""Where notes live: the SQLAlchemy URL, one engine per URL, the tables, and `migrate`.

The notes database is NOT the published DuckDB file (each nightly load replaces that one
whole). It is reached through a SQLAlchemy URL: the argument, else $SCST_NOTES_URL, else a
SQLite file `data/notes.sqlite` (the embedded default, ignored by git). PostgreSQL is the
choice when several app servers share one notes database (docs/operations.md).

Schema changes go through the Alembic migrations shipped in `migrations/`; `migrate(url)`
applies them and is idempotent. Every public call in `scst_metrics.notes` migrates its URL
once per process before its first use, so an app that forgets to call it still works.
"""

from __future__ import annotations

import os
import threading
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from scst_metrics.notes.errors import NotFound

DEFAULT_URL = "sqlite:///data/notes.sqlite"
ENV = "SCST_NOTES_URL"
MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: PostgreSQL advisory lock held while migrating, so that two app servers
# starting together do not both create the tables.
_MIGRATION_LOCK = 7_270_313

_engines: dict[str, sa.Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()

metadata = sa.MetaData()

# The tables as the migrations leave them (the migrations are the source of truth for the
# schema; these declarations are only what the queries are written against).


def _item(name: str, *columns: sa.Column) -> sa.Table:
    """A note or an action: what it is about (indicator, month, hub), `columns`, and who
    made it and last changed it, at which version."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("hub_id", sa.String(50)),
        *columns,
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def _audit(name: str, key: str, *columns: sa.Column) -> sa.Table:
    """Every version of a note or action (`key`: its id column): `columns`, who and when."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(key, sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        *columns,
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def _action_columns() -> list[sa.Column]:
    return [
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
    ]


notes = _item(
    "notes",
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
note_audit = _audit(
    "note_audit",
    "note_id",
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("previous_text", sa.Text),
)
actions = _item("actions", *_action_columns())
action_audit = _audit("action_audit", "action_id", *_action_columns())


def notes_url(url: str | None = None) -> str:
    """The notes database: the argument, else $SCST_NOTES_URL, else data/notes.sqlite.

    A SQLite file named relative to the working directory is made absolute here, so the
    engine kept for it (one per URL) never points at another directory's file."""
    url = url or os.environ.get(ENV) or DEFAULT_URL
    parsed = sa.make_url(url)
    if (
        parsed.get_backend_name() == "sqlite"
        and parsed.database
        and parsed.database != ":memory:"
        and not Path(parsed.database).is_absolute()
    ):
        url = parsed.set(database=str(Path(parsed.database).resolve())).render_as_string(
            hide_password=False
        )
    return url


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _create_engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Wait for another writer rather than failing at once.
        return sa.create_engine(url, connect_args={"timeout": 30})
    return sa.create_engine(url, pool_pre_ping=True)


def _engine(url: str) -> sa.Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = _create_engine(url)
        return _engines[url]


def migrate(url: str | None = None) -> None:
    """Bring the notes database at `url` to the latest schema (Alembic `upgrade head`)."""
    url = notes_url(url)
    engine = _engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with _lock:
        _migrated.add(url)


def engine(url: str | None = None) -> sa.Engine:
    """The engine for the notes database, migrated once per process."""
    url = notes_url(url)
    if url not in _migrated:
        migrate(url)
    return _engine(url)


def schema_version(url: str | None = None) -> str | None:
    """The Alembic revision the database is at (None before any migration)."""
    with _engine(notes_url(url)).connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def audit_history(table: sa.Table, key: str, ident: int, url: str | None, make: type) -> list:
    """Every audit row of one note or action (`key` = its id column), oldest first, each as
    `make` (a dataclass named by the row's columns; `at` in UTC); NotFound when there is none."""
    q = sa.select(table).where(table.c[key] == ident).order_by(table.c.id)
    with engine(url).connect() as conn:
        rows = conn.execute(q).all()
    if not rows:
        raise NotFound(f"There is no {key.removesuffix('_id')} {ident}.")
    return [from_row(make, r) for r in rows]


def from_row(make: type, row: sa.Row, **given):
    """The dataclass `make` from a row of its table: each field from the column of its name
    (times -- `at`, `*_at` -- in UTC), or from `given` for a field worked out elsewhere."""
    m = row._mapping
    values = {}
    for f in fields(make):
        if f.name in given:
            values[f.name] = given[f.name]
        elif f.name == "at" or f.name.endswith("_at"):
            values[f.name] = aware(m[f.name])
        else:
            values[f.name] = m[f.name]
    return make(**values)
