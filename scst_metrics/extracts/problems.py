"""What a reader reports besides its tables: problems found in the extracts.

Two kinds:
- a `LoadIssue` is about one row (or one value) -- the row is kept out, or the value is
  blanked, and the load goes on; every issue ends up in table `load_issues`;
- an `UnusableFile` is a problem that makes a whole file unusable (wrong header, unreadable
  encoding, malformed XML): the load is refused and the published database is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# What happened to the data because of an issue.
ROW_KEPT_OUT = "row kept out"
VALUE_BLANKED = "value blanked"
WARNING = "warning only"

# Columns whose values identify a child or a person. Their values are never quoted in a
# message, and never stored in the board's file (the detail file keeps them, owner-only, so an
# analyst can find the record): a message names file, line, column and rule instead.
IDENTIFYING_COLUMNS = frozenset(
    {
        "CHILD",
        "child_id",
        "UPN",
        "upn",
        "former_upn",
        "SW_ID",
        "worker_id",
        "MC_DOB",
        "DOB",
        "birth_date",
        "HOME_POST",
        "PL_POST",
        "postcode",
        "household_id",
        "application_id",
        "LAchildID",
        "FormerUPN",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "PersonDeathDate",
        "PostCode",
        "expected_birth_date",
        "death_date",
    }
)
HIDDEN = "[hidden]"


def identifying(column: str | None) -> bool:
    """True when a value of `column` (or of a key of several columns) could identify a person.

    A column that is not named (a whole row, a header line) counts as identifying."""
    if not isinstance(column, str) or not column.strip():
        return True
    parts = [p.strip() for p in column.replace("+", ",").split(",")]
    return (
        len(parts) > 1
        or parts[0] in IDENTIFYING_COLUMNS
        or parts[0].lower() in {c.lower() for c in IDENTIFYING_COLUMNS}
    )


@dataclass(frozen=True)
class LoadIssue:
    """One problem with one row of one file, in words an analyst can act on."""

    file: str  # path relative to the extracts folder, e.g. "ssda903/2025/episodes.csv"
    row: int | None  # line number as a person sees it (header = line 1); XML: line of element
    column: str | None
    value: str | None
    rule: str  # short stable name, e.g. "date_format", "unknown_code", "duplicate_key"
    message: str  # plain English: what is wrong and what to do
    action: str = ROW_KEPT_OUT

    def for_board(self) -> LoadIssue:
        """The issue as the board may hold it: no value of an identifying column, in the
        value field or quoted in the message (file, line, column and rule say where)."""
        if not identifying(self.column) or self.value is None:
            return self
        message = self.message.replace(self.value, HIDDEN) if self.value else self.message
        return replace(self, value=None, message=message)


@dataclass
class UnusableFile(Exception):
    """A whole file cannot be used; the load must be refused."""

    file: str
    message: str  # names the problem and says what to do

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass
class FileRead:
    """One extract file as read: for the audit table `load_run_files`."""

    path: str  # relative to the extracts folder
    table: str | None  # database table it feeds (None if not recognised)
    collection_year: int | None
    sha256: str
    rows_read: int = 0
    rows_kept: int = 0


@dataclass
class SourceResult:
    """Everything a reader found in its part of the drop."""

    tables: dict = field(default_factory=dict)  # table name -> pandas.DataFrame (see staging)
    present: set = field(default_factory=set)  # names of the tables the drop has (maybe empty)
    issues: list[LoadIssue] = field(default_factory=list)
    files: list[FileRead] = field(default_factory=list)
    unusable: list[UnusableFile] = field(default_factory=list)
