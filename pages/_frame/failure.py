"""A database the board cannot read or create: say what is wrong and what to do.

The page shows a short message in words (no traceback, no source paths); the details --
exception and traceback -- go to the server's log only, for whoever runs the board.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from .text import plain

log = logging.getLogger("scst.board")


class DatabaseUnusable(Exception):
    """The published file cannot be read, or the first run cannot create it."""

    def __init__(self, path: Path, what: str, todo: str) -> None:
        super().__init__(f"{what} ({path})")
        self.path, self.what, self.todo = path, what, todo


def unreadable(path: Path) -> DatabaseUnusable:
    return DatabaseUnusable(
        path,
        "The board cannot read its database: the file is damaged, cut short, or not a "
        "database the nightly load published.",
        "Publish it again with the nightly load (`make nightly`, or "
        "`python -m scst_metrics.load --extracts FOLDER --db FILE`), or point SCST_DB at the "
        "published file.",
    )


def unwritable(path: Path, error: OSError) -> DatabaseUnusable:
    if error.errno == errno.ENOTDIR:
        why = "part of that path is a file, not a folder"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the board may not write to that folder"
    else:
        why = f"the system refused to write there ({error.strerror or 'unknown reason'})"
    return DatabaseUnusable(
        path,
        f"There is no database yet, and the board cannot create one: {why}.",
        "Point SCST_DB at a file in a folder the board may write to, or run the nightly load "
        "(`make nightly`) to publish the database there first.",
    )


def show(problem: DatabaseUnusable) -> None:
    """The message on the page; the details in the server's log."""
    log.error("board database unusable: %s", problem, exc_info=problem.__cause__ or problem)
    st.title("Performance board")
    st.error(f"**{problem.what}**\n\nDatabase: {plain(problem.path)}\n\n{problem.todo}")
    st.caption("The details are in the board server's log.")


@contextmanager
def shown_cleanly() -> Iterator[None]:
    """Run the frame and the page; an unusable database stops the run with a clear message."""
    try:
        yield
    except DatabaseUnusable as problem:
        show(problem)
        st.stop()
