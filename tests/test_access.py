"""Who may do what: data/access.csv read by scst_metrics.access."""

from __future__ import annotations

from pathlib import Path

import pytest

from scst_metrics import access
from scst_metrics.access import AccessFileError

ROOT = Path(__file__).resolve().parents[1]

FILE = """who,role,hubs,service_areas
# a comment line, and a blank line, are skipped

admin@trust.example,admin,,
Head.Of.LAC@trust.example,editor,,lac;virtual_school
hub3@trust.example,editor,H03,hubs
viewer@trust.example,viewer,,
group:readers,viewer,H03;H04,
group:lac-editors,editor,H05,lac
group:everyone,viewer,,
"""


@pytest.fixture
def csv_file(tmp_path) -> Path:
    path = tmp_path / "access.csv"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_roles_hubs_and_areas(csv_file):
    p = csv_file
    assert access.role_of("admin@trust.example", path=p) == "admin"
    # e-mails match whatever their case
    assert access.role_of("head.of.lac@TRUST.example", path=p) == "editor"
    assert access.role_of("viewer@trust.example", path=p) == "viewer"
    assert access.role_of("stranger@elsewhere.example", path=p) is None
    assert access.role_of(None, path=p) is None

    assert access.allowed_hubs("admin@trust.example", path=p) is None  # every hub
    assert access.allowed_hubs("hub3@trust.example", path=p) == {"H03"}
    assert access.allowed_hubs("stranger@elsewhere.example", path=p) == frozenset()
    assert access.can_read_hub("hub3@trust.example", "H03", path=p)
    assert not access.can_read_hub("hub3@trust.example", "H04", path=p)
    assert not access.can_read_hub("stranger@elsewhere.example", "H03", path=p)

    assert access.can_edit("admin@trust.example", "fostering", path=p)
    assert access.can_edit("head.of.lac@trust.example", "lac", path=p)
    assert access.can_edit("head.of.lac@trust.example", "virtual_school", path=p)
    assert not access.can_edit("head.of.lac@trust.example", "hubs", path=p)
    assert access.can_edit("hub3@trust.example", "hubs", hub_id="H03", path=p)
    assert not access.can_edit("hub3@trust.example", "hubs", hub_id="H04", path=p)
    assert not access.can_edit("viewer@trust.example", "lac", path=p)
    assert not access.can_edit("stranger@elsewhere.example", "lac", path=p)
    with pytest.raises(ValueError, match="not a service area"):
        access.can_edit("admin@trust.example", "finance", path=p)


def test_claims_and_groups(csv_file):
    p = csv_file
    # st.user's claims: e-mail first; Entra may send preferred_username instead
    assert access.role_of({"email": "admin@trust.example"}, path=p) == "admin"
    assert access.role_of({"preferred_username": "hub3@trust.example"}, path=p) == "editor"
    assert access.role_of({"is_logged_in": False}, path=p) is None
    # Not named: the groups' rows combine. readers (viewer, H03;H04) + lac-editors (editor,
    # H05, lac) = editor for lac, hubs H03, H04 and H05.
    both = {"email": "new@trust.example", "groups": ["readers", "lac-editors"]}
    assert access.role_of(both, path=p) == "editor"
    assert access.allowed_hubs(both, path=p) == {"H03", "H04", "H05"}
    assert access.can_edit(both, "lac", path=p) and not access.can_edit(both, "hubs", path=p)
    # a group with every hub lifts the hub restriction of another group
    wide = {"email": "new@trust.example", "groups": ["readers", "everyone"]}
    assert access.allowed_hubs(wide, path=p) is None
    # a person's own row wins over their groups' rows
    own = {"email": "viewer@trust.example", "groups": ["lac-editors"]}
    assert access.role_of(own, path=p) == "viewer"
    assert access.role_of({"email": "x@y.example", "groups": ["unknown"]}, path=p) is None


def test_changes_to_the_file_are_read(csv_file):
    assert access.role_of("viewer@trust.example", path=csv_file) == "viewer"
    csv_file.write_text(FILE.replace("viewer@trust.example,viewer", "viewer@trust.example,admin"))
    assert access.role_of("viewer@trust.example", path=csv_file) == "admin"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("amy@trust.example,owner,,", "line 3, column role: 'owner' is not a role. Use viewer"),
        ("amy,viewer,,", "line 3, column who: 'amy' is neither an e-mail address nor group:"),
        (",viewer,,", "line 3, column who: empty"),
        ("group:,viewer,,", "line 3, column who: 'group:' names no group"),
        ("amy@trust.example,viewer,H 03,", "line 3, column hubs: 'H 03' is not a hub id"),
        ("amy@trust.example,editor,,finance", "line 3, column service_areas: 'finance' is not"),
        ("amy@trust.example,viewer,,lac", "line 3, column service_areas: only editors"),
        ("amy@trust.example,viewer", "line 3: 2 cells where the header has 4"),
        ("Bob@trust.example,viewer,,", "line 3, column who: 'bob@trust.example' is already on"),
    ],
)
def test_mistakes_name_file_line_and_column(tmp_path, row, message):
    path = tmp_path / "access.csv"
    path.write_text(f"who,role,hubs,service_areas\nbob@trust.example,viewer,,\n{row}\n")
    with pytest.raises(AccessFileError) as err:
        access.read_access(path)
    assert str(err.value).startswith(f"{path}, ")
    assert message in str(err.value)


def test_header_and_missing_file(tmp_path, monkeypatch):
    path = tmp_path / "access.csv"
    path.write_text("who,role,hubs\n")
    with pytest.raises(AccessFileError, match=r"line 1: the header has no column 'service_area"):
        access.read_access(path)
    path.write_text("who,role,hubs,service_areas,notes\n")
    with pytest.raises(AccessFileError, match=r"line 1, column 'notes': not a column"):
        access.read_access(path)
    with pytest.raises(AccessFileError, match=r"nope\.csv: no such file.*docs/signin\.md"):
        access.role_of("a@b.example", path=tmp_path / "nope.csv")
    # default: $SCST_ACCESS, else data/access.csv
    monkeypatch.setenv("SCST_ACCESS", str(path.with_name("env.csv")))
    path.with_name("env.csv").write_text("who,role,hubs,service_areas\na@b.example,admin,,\n")
    assert access.role_of("a@b.example") == "admin"


def test_the_shipped_file_reads():
    grants = access.read_access(ROOT / "data" / "access.csv")
    assert {g.role for g in grants} == {"viewer", "editor", "admin"}


# --- the one rule for reading a hub's figures (pages and board packs) ---------------------------


def test_hubs_of_view_narrows_a_restricted_person_and_refuses_another_hub():
    known = ["H01", "H02", "H03", "H04", "LAC1"]  # the data's hubs, in its order
    # every hub: as asked (none asked: the whole Trust)
    assert access.hubs_of_view(None, [], known) == ()
    assert access.hubs_of_view(None, ["H04", "H04", "H01"], known) == ("H04", "H01")
    # H03 and LAC1 only: none asked means theirs, in the data's order (not the access file's)
    theirs = frozenset({"LAC1", "H03"})
    assert access.hubs_of_view(theirs, [], known) == ("H03", "LAC1")
    assert access.hubs_of_view(theirs, ["LAC1"], known) == ("LAC1",)
    with pytest.raises(access.HubNotAllowed) as refused:
        access.hubs_of_view(theirs, ["H03", "H04", "H09"], known)
    assert str(refused.value) == (
        "You do not have access to hub H04, H09. Your access covers H03, LAC1; "
        "ask your performance team if you need more."
    )
    # an access file naming only hubs the data does not hold: refused, never the Trust
    with pytest.raises(access.HubNotAllowed, match="the published data holds none of them"):
        access.hubs_of_view(frozenset({"H99"}), [], known)


def test_check_read_keeps_split_trust_totals_from_a_restricted_person():
    theirs = frozenset({"H03"})
    assert access.check_read(None, "cp_plans", (), splits_by_hub=True) == ()  # every hub
    assert access.check_read(theirs, "cp_plans", ("H03",), splits_by_hub=True) == ("H03",)
    with pytest.raises(access.HubNotAllowed, match="access to hub H04. Your access covers H03"):
        access.check_read(theirs, "cp_plans", ("H03", "H04"), splits_by_hub=True)
    # cp_plans is split by hub: its Trust total less H03 would give the other hubs away
    for trust in ((), (None,), ("H03", None)):
        with pytest.raises(access.HubNotAllowed, match="the Trust total of cp_plans"):
            access.check_read(theirs, "cp_plans", trust, splits_by_hub=True)
    # a Trust-wide indicator (not split by hub) is the Trust's figure for everyone
    assert access.check_read(theirs, "cp_plans_rate", (), splits_by_hub=False) == ()
    # a summary matrix (every indicator) of the whole Trust
    with pytest.raises(access.HubNotAllowed, match="Trust total of every indicator"):
        access.check_read(theirs, None, (None,), splits_by_hub=True)
