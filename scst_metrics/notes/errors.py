"""What can go wrong when writing notes, as exceptions the page can show as they are."""

from __future__ import annotations

from typing import Any


class NotFound(LookupError):
    """No note or action with that id."""


class Conflict(Exception):
    """The note (or action) changed since the version the writer started from.

    Nothing was overwritten. `current` is what is saved now; `yours` is what the refused save
    tried to write (also kept in the audit table as a "refused" entry, so neither text is lost).
    """

    def __init__(self, kind: str, current: Any, yours: Any, expected_version: int) -> None:
        self.current = current
        self.yours = yours
        self.expected_version = expected_version
        when = current.updated_at.strftime("%d %b %Y %H:%M UTC")
        super().__init__(
            f"This {kind} was changed by {current.author} at {when} (now version "
            f"{current.version}) after you opened version {expected_version}. Your save was "
            f"refused and nothing was overwritten; both texts are kept (yours in the history). "
            f"Reload the {kind}, merge your changes into it and save again."
        )
