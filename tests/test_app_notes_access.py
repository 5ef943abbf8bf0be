"""A person restricted to some hubs, on every page of the board (Streamlit's AppTest against
the session's demo Trust, loaded by the real loader): the restriction is applied where data
is read. Each page runs with a restricted access.Who in the session; every read of a hub's
figures passes View.read_hubs, which raises HubNotAllowed for another hub or for the Trust
total of an indicator split by hub -- so a page that would read one fails here."""

from __future__ import annotations

import pytest
from apptest_board import run_page, use_files

import scst_metrics as sm
from pages._frame import access
from pages._frame.view import HubNotAllowed, View
from scst_metrics import quality
from scst_metrics.published import identity

ALLOWED = frozenset({"H03", "LAC1"})
# an editor of LAC for the hubs H03 and LAC1 (as data/access.csv would give them)
RESTRICTED = access.Who("h3@trust.example", "editor", ALLOWED, frozenset({"lac"}), True)
NAMES = {"H03": "Hub 3 - Cippenham Green", "LAC1": "Looked After Children Hub 1"}  # demo hubs


@pytest.fixture()
def db(demo_db, monkeypatch):
    use_files(monkeypatch, demo_db)
    return demo_db


def run_as(who: access.Who, page: str, **query: str):
    return run_page(page, {access.WHO_KEY: who}, **query)


@pytest.mark.parametrize(
    "page", ["overview", "hubs", "lac", "fostering", "virtual_school", "meeting"]
)
def test_a_restricted_person_reads_only_their_hubs_on_every_page(db, page):
    at = run_as(RESTRICTED, f"pages/{page}.py")
    # no read went to another hub or to a split indicator's Trust total (HubNotAllowed)
    assert not at.exception, [e.value for e in at.exception]
    # no hub named: the link names theirs, and the sidebar offers no other
    assert at.query_params["hub"] == sorted(ALLOWED)
    assert sorted(at.multiselect(key="f_hubs").options) == sorted(NAMES.values())
    assert at.multiselect(key="f_hubs").value == sorted(ALLOWED)


def test_a_link_to_another_hub_is_refused(db):
    at = run_as(RESTRICTED, "pages/lac.py", hub="LAC2")
    assert not at.exception
    [refusal] = at.error
    assert refusal.value.startswith("You do not have access to hub LAC2. Your access covers")
    assert not at.title or at.title[0].value == "Performance board"  # nothing of the page


def test_read_hubs_refuses_another_hub_and_split_trust_totals(db):
    """The guard itself, on a view as build_view makes it for the restricted person."""
    view = View(identity(), quality.LoadStatus, ("LAC1",), None, None, allowed=ALLOWED)
    assert view.read_hubs("lac_count", ("LAC1",)) == ("LAC1",)
    with pytest.raises(HubNotAllowed, match="LAC2"):
        view.read_hubs("lac_count", ("LAC1", "LAC2"))
    with pytest.raises(HubNotAllowed, match="Trust total of lac_count"):
        view.series("lac_count", trust_wide=True)  # lac_count is split by hub
    with pytest.raises(HubNotAllowed):
        view.read_hubs(None, (None,))  # a matrix of the whole Trust
    # lac_rate is Trust-wide only (not split by hub): its Trust figures are theirs to read
    cat = view.catalogue().set_index("id")
    assert not cat.loc["lac_rate", "splits_by_hub"]
    lac_rate = view.series("lac_rate", trust_wide=True)
    assert len(lac_rate) == len(sm.series("lac_rate", db=db)) > 0
    # someone with every hub is not limited
    assert View(identity(), None, (), None, None).read_hubs("lac_count", ()) == ()
