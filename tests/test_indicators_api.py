"""The read API on a database built by the real loader; availability; the period calendar."""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from indicator_drops import AS_AT, MARCH, MAY, indicator_db, no_local_db  # noqa: F401

import scst_metrics as sm
from scst_metrics.published import snapshot


def test_periods_run_from_the_data_start_to_the_extract_date(indicator_db):
    s = sm.series("lac_count", db=indicator_db)
    # hubs opened 01/04/2018: first month end 30/04/2018; the last period is the month of the
    # extract (12/06/2019) evaluated AT the extract date
    assert s["period_end"].iloc[0] == date(2018, 4, 30)
    assert s["period_end"].iloc[-1] == AS_AT
    assert len(s) == 15  # April 2018 .. May 2019 (14) + June 2019 to date
    assert s["hub_id"].isna().all() and (s["hub_name"] == sm.TRUST).all()


def test_series_with_hubs_targets_and_rag(indicator_db):
    with snapshot(indicator_db) as conn:
        s = sm.series("rereferrals_12m", hubs=["H01", None], start=MAY, end=MAY, conn=conn)
    s = s.set_index("hub_id", drop=False)
    trust = s[s["hub_id"].isna()].iloc[0]
    # 40% against England's 22.6% (amber within 3), lower is better, would be red; but it is
    # 2 of 5 referrals: fewer than 6 (small_numbers.MIN_DENOMINATOR), so no verdict
    assert (trust["numerator"], trust["denominator"], trust["value"]) == (2, 5, 40.0)
    assert (trust["target"], trust["rag"], trust["rag_note"]) == (22.6, None, "too few to rate")
    h01 = s.loc["H01"]
    assert (h01["hub_name"], h01["value"], h01["rag"]) == ("Hub 1 - Britwell", 100.0, None)
    assert h01["rag_note"] == "too few to rate"
    assert set(s.columns) >= {"numerator", "denominator", "unit", "polarity", "target_low"}


def test_band_target_for_locality_hubs(indicator_db):
    s = sm.series("hub_allocated", hubs="all", start=MAY, end=MAY, db=indicator_db)
    h01 = s[s["hub_id"] == "H01"].iloc[0]
    assert (h01["target_low"], h01["target_high"], h01["rag"]) == (40, 70, "red")  # 3 children
    lac_hub = s[s["hub_id"] == "L01"].iloc[0]
    assert pd.isna(lac_hub["target_low"]) and lac_hub["rag"] is None  # band is for localities


def test_no_data_is_not_rated(indicator_db):
    s = sm.series("rereferrals_12m", hubs=["X01"], start=MAY, end=MAY, db=indicator_db)
    assert pd.isna(s["value"].iloc[0]) and s["rag"].iloc[0] is None


def test_latest_tiles(indicator_db):
    tiles = sm.latest("lac", db=indicator_db).set_index("indicator_id")
    assert list(tiles.index[:2]) == ["lac_count", "lac_rate"]  # board order
    lac = tiles.loc["lac_count"]
    # latest period is the extract date; L4 left on 31/05, so June to date = 4 as in May
    assert (lac["period_end"], lac["value"], lac["previous_value"], lac["change"]) == (
        AS_AT,
        4,
        4,
        0,
    )
    assert tiles.loc["lac_health_assessments", "period_end"] == date(2019, 3, 31)


def test_catalogue_hubs_as_at(indicator_db):
    assert [i.id for i in sm.catalogue("virtual_school")][0] == "pep_in_date"
    with pytest.raises(KeyError):
        sm.series("no_such_indicator", db=indicator_db)
    hubs = sm.hubs(db=indicator_db)
    assert set(hubs["hub_id"]) == {"H01", "H02", "X01", "L01"}
    assert hubs["is_open"].all()
    assert sm.as_at(db=indicator_db) == AS_AT


def test_all_available_in_the_full_drop(indicator_db):
    a = sm.availability(db=indicator_db)
    assert a["available"].all()


def test_a_missing_source_makes_its_indicators_unavailable_and_the_load_publishes(no_local_db):
    a = sm.availability(db=no_local_db).set_index("indicator_id")
    assert not a.loc["pep_in_date", "available"]
    assert a.loc["pep_in_date", "reason"] == ("not in this drop: Personal Education Plans (peps)")
    assert not a.loc["fostering_households", "available"]
    # SSDA903 indicators still computed, whole Trust only (no allocations)
    assert a.loc["lac_count", "available"]
    assert "no allocations: whole-Trust values only" in a.loc["lac_count", "reason"]
    s = sm.series("lac_count", hubs="all", start=MAY, end=MAY, db=no_local_db)
    assert s["value"].tolist() == [4]
    assert sm.series("pep_in_date", db=no_local_db).empty


def test_periods_are_the_period_ends_in_the_data(indicator_db):
    # hubs opened 01/04/2018, so the first month end is 30/04/2018; then every month end to
    # 31/05/2019 (14 month ends: Apr-Dec 2018 = 9, Jan-May 2019 = 5), then the extract date
    # 12/06/2019 (June to date). The annual OC2/OC3 date 31/03/2019 is one of the month ends.
    expected = [d.date() for d in pd.date_range("2018-04-30", "2019-05-31", freq="ME")]
    assert len(expected) == 14
    with snapshot(indicator_db) as conn:
        assert sm.periods(conn=conn) == expected + [AS_AT]
    assert sm.periods(db=indicator_db)[-1] == AS_AT


def test_latest_for_an_earlier_month(indicator_db):
    # lac_count at 31/05/2019: L1, L2, L3, L6 = 4 (L4 ceased on 31/05, L5 is V3); at 30/04/2019
    # L4 was still looked after = 5. So the May tile is 4, previous 5, change 4 - 5 = -1.
    tiles = sm.latest("lac", end=MAY, db=indicator_db).set_index("indicator_id")
    lac = tiles.loc["lac_count"]
    assert (lac["period_end"], lac["value"], lac["previous_period_end"]) == (
        MAY,
        4,
        date(2019, 4, 30),
    )
    assert (lac["previous_value"], lac["change"]) == (5, -1)
    # at 31/03/2019: L1, L2 (since 2016), L3 (01/10/18), L4 (01/05/18), L6 (10/01/19) = 5, and the
    # same five on 28/02/2019 -> change 0. An `end` inside a month gives the month end before it.
    with snapshot(indicator_db) as conn:
        march = sm.latest("lac", end=date(2019, 4, 15), conn=conn).set_index("indicator_id")
    assert march.loc["lac_count", "period_end"] == MARCH
    assert (march.loc["lac_count", "value"], march.loc["lac_count", "change"]) == (5, 0)
    # the annual health assessments tile is the 31/03/2019 return, whichever month is asked
    # for on or after it: OC2 2019 has L1 (HEALTH_ASSESSMENT 1) and L2 (0) -> 1 / 2 = 50%
    health = march.loc["lac_health_assessments"]
    assert (health["period_end"], health["numerator"], health["denominator"]) == (MARCH, 1, 2)
    assert health["value"] == 50.0


def test_latest_for_an_earlier_month_by_hub_with_rag(indicator_db):
    # rereferrals_12m, whole Trust, referrals 01/05/18-30/04/19: C3 10/05/18 (first), C7
    # 20/05/18 (first), C4 15/06/18 (previous 01/05/16: no), C2 02/07/18 (first), C1 03/09/18
    # (previous 10/03/18: yes) -> 1 / 5 = 20%. 01/04/18-31/03/19 adds C6 20/04/18 (first) ->
    # 1 / 6 = 16.67%, so change +3.33. England 22.6%, lower is better: 20 <= 22.6 would be
    # green, but 5 referrals are too few to rate; 31/03 (6 referrals) is rated: green.
    tiles = sm.latest("hubs", hubs=[None], end=date(2019, 4, 30), db=indicator_db)
    rr = tiles.set_index("indicator_id").loc["rereferrals_12m"]
    assert (rr["numerator"], rr["denominator"], rr["value"], rr["rag"]) == (1, 5, 20.0, None)
    assert rr["rag_note"] == "too few to rate"
    assert round(rr["change"], 2) == round(20 - 100 / 6, 2)
    march = sm.latest("hubs", hubs=[None], end=MARCH, db=indicator_db)
    rr = march.set_index("indicator_id").loc["rereferrals_12m"]
    assert (rr["numerator"], rr["denominator"], rr["rag"], rr["rag_note"]) == (1, 6, "green", None)
    # the Looked After Children hub's lac_count at 30/04/2019: L1, L2, L3, L4, L6 all allocated
    # to L01 on that date = 5
    lac = sm.latest("lac", hubs=["L01"], end=date(2019, 4, 30), db=indicator_db)
    row_ = lac.set_index("indicator_id").loc["lac_count"]
    assert (row_["hub_id"], row_["value"]) == ("L01", 5)


def test_latest_before_the_data_has_no_tiles(indicator_db):
    assert sm.latest("lac", end=date(2018, 3, 31), db=indicator_db).empty


def test_catalogue_from_the_published_file_matches_the_declarations(indicator_db):
    with snapshot(indicator_db) as conn:
        published = sm.catalogue(conn=conn)
        lac = sm.catalogue("lac", conn=conn)
    assert published == sm.catalogue()  # the same load code wrote it: identical declarations
    assert [i.id for i in lac] == [i.id for i in sm.catalogue("lac")]
    assert published[0].sources and isinstance(published[0].sources, tuple)
    with pytest.raises(KeyError):
        sm.catalogue("no_such_area", db=indicator_db)


def test_reads_use_the_catalogue_stored_in_the_published_file(indicator_db, tmp_path):
    """After a deploy that renames an indicator, a file loaded by the older code still reads:
    series and latest take ids, titles and units from the file's own catalogue."""
    import duckdb

    old = tmp_path / "older.duckdb"
    old.write_bytes(indicator_db.read_bytes())
    con = duckdb.connect(str(old))
    con.execute(
        "UPDATE indicators SET id = 'lac_count_was', title = 'Looked after (old name)' "
        "WHERE id = 'lac_count'"
    )
    con.execute(
        "UPDATE indicator_values SET indicator_id = 'lac_count_was' "
        "WHERE indicator_id = 'lac_count'"
    )
    con.close()
    s = sm.series("lac_count_was", end=MAY, db=old)  # unknown to the code, known to the file
    assert (s["value"].iloc[-1], s["unit"].iloc[-1]) == (4, "count")  # 4 looked after at 31/05
    tiles = sm.latest("lac", db=old).set_index("indicator_id")
    assert tiles.loc["lac_count_was", "title"] == "Looked after (old name)"
    assert "lac_count" not in tiles.index
    with pytest.raises(KeyError, match="Unknown indicator 'lac_count'"):
        sm.series("lac_count", db=old)  # the code's id, gone from this file


def test_rates_derived_from_their_count_have_no_query_of_their_own(indicator_db):
    from scst_metrics.indicators import catalogue as cat

    for rate, count in (("lac_rate", "lac_count"), ("cp_plans_rate", "cp_plans")):
        ind = cat.get(rate)
        assert ind.derived_from == count and not (cat.QUERIES / f"{rate}.sql").exists()
        assert (ind.period, ind.sources) == (cat.get(count).period, cat.get(count).sources)
        # whole-Trust count at 31/05/2019 per 10,000 of 50,000 children = count / 5
        trust = sm.series(count, start=MAY, end=MAY, db=indicator_db)["numerator"].iloc[0]
        value = sm.series(rate, start=MAY, end=MAY, db=indicator_db)["value"].iloc[0]
        assert value == pytest.approx(trust / 5)


def test_a_file_published_before_the_new_columns_still_reads(indicator_db, tmp_path):
    """Between a deploy and the next load the board reads a file written by the older code:
    no why / why_source / derived_from / dfe_measure in its catalogue, no rag_note."""
    import duckdb

    old = tmp_path / "older.duckdb"
    old.write_bytes(indicator_db.read_bytes())
    con = duckdb.connect(str(old))
    for col in ("why", "why_source", "derived_from", "dfe_measure"):
        con.execute(f"ALTER TABLE indicators DROP COLUMN {col}")
    con.execute("ALTER TABLE indicator_targets DROP COLUMN rag_note")
    con.close()
    lac = sm.catalogue("lac", db=old)[0]
    assert (lac.id, lac.why, lac.derived_from) == ("lac_count", "", None)
    s = sm.series("rereferrals_12m", start=MAY, end=MAY, db=old)
    assert (s["value"].iloc[0], s["rag_note"].iloc[0]) == (40.0, None)  # 2 of 5, as above
    assert not sm.latest("hubs", db=old).empty


# --- SPC, events and benchmarks as the read API returns them (issues 10 and 11) -----------


def test_spc_points_and_summary_of_a_series(indicator_db):
    with snapshot(indicator_db) as conn:
        pts = sm.spc_points("referrals_month", conn=conn)
        summ = sm.spc_summary("referrals_month", conn=conn)
        every = sm.spc_summary(conn=conn)
        later = sm.spc_points("referrals_month", start=date(2019, 1, 1), conn=conn)
    # the drop's whole-Trust months: April 2018 to May 2019 (14 month ends), then 1-12 June
    assert pts["hub_id"].isna().all() and len(pts) == 15
    assert pts["part_month"].tolist() == [False] * 14 + [True]
    assert pts["period_end"].iloc[-1] == pd.Timestamp(AS_AT)
    assert len(later) == 6  # Jan to May 2019, then 1-12 June
    assert list(summ["hub_id"]) == [None] and summ["variation"].iloc[0] is not None
    assert set(every["indicator_id"]) > {"referrals_month"}  # every indicator's series


def test_spc_for_a_hub_and_an_unknown_indicator(indicator_db):
    with snapshot(indicator_db) as conn:
        trust_and_all = sm.spc_summary("referrals_month", "all", conn=conn)
        one = sm.spc_summary(
            "referrals_month", [trust_and_all["hub_id"].dropna().iloc[0]], conn=conn
        )
        with pytest.raises(KeyError, match="Unknown indicator 'no_such'"):
            sm.spc_points("no_such", conn=conn)
    assert len(one) == 1 and one["hub_id"].iloc[0] is not None
    assert len(trust_and_all) > 1


def test_events_apply_by_scope(indicator_db):
    # data/events.csv: 2015-10-01 'all' (Trust launched), 2016-08-01 'hubs' (locality hubs)
    with snapshot(indicator_db) as conn:
        hubs_area = sm.events("referrals_month", conn=conn)  # a hubs indicator: both
        lac_area = sm.events("lac_count", conn=conn)  # children looked after: 'all' only
        every = sm.events(conn=conn)
    assert [d.year for d in hubs_area["event_date"]] == [2015, 2016]
    assert list(lac_area["scope"]) == ["all"]
    assert len(every) == 2


def test_benchmark_rows_read_through_the_api(indicator_db):
    from scst_metrics.benchmarks.read import for_indicator

    with snapshot(indicator_db) as conn:
        rows = sm.benchmark_rows("lac_rate", conn=conn)
        same = for_indicator(conn, "lac_rate")
        none = sm.benchmark_rows("hub_allocated", conn=conn)  # no DfE measure
        overview = sm.benchmark_overview(conn=conn)
    assert len(rows) and set(rows["comparator"]) >= {"us_published", "england"}
    pd.testing.assert_frame_equal(rows, same)
    assert none.empty
    assert "lac_rate" in set(overview["indicator_id"])


def test_a_file_from_before_spc_reads_empty(indicator_db, tmp_path):
    """A file published before the SPC and benchmark steps existed (read between a deploy and
    the next load): empty frames with their columns, so a chart draws no layer."""
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(indicator_db, old)
    con = duckdb.connect(str(old))
    for table in ("indicator_spc", "indicator_spc_summary", "board_events"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    with snapshot(old) as conn:
        pts = sm.spc_points("lac_count", conn=conn)
        summ = sm.spc_summary("lac_count", conn=conn)
        ev = sm.events("lac_count", conn=conn)
    assert pts.empty and "point_type" in pts.columns
    assert summ.empty and "variation" in summ.columns
    assert ev.empty and list(ev.columns) == ["event_date", "scope", "what"]


def test_chart_layers_are_the_four_reads(indicator_db):
    with snapshot(indicator_db) as conn:
        layers = sm.chart_layers("referrals_month", start=date(2019, 1, 1), conn=conn)
        pts = sm.spc_points("referrals_month", start=date(2019, 1, 1), conn=conn)
        ev = sm.events("referrals_month", conn=conn)
    assert set(layers) == {"spc", "spc_summary", "events", "benchmarks"}
    pd.testing.assert_frame_equal(layers["spc"], pts)
    pd.testing.assert_frame_equal(layers["events"], ev)
    assert len(layers["spc"]) == 6  # Jan to May 2019 and 1-12 June
