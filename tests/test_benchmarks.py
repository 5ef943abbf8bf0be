"""DfE benchmarks: the reader of DfE's LAIT long file, the shipped file, and the neighbours'
average, rank and quartile worked by hand as DfE's LAIT computes them (compare.py cites it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scst_metrics.authority import AuthorityFileError
from scst_metrics.benchmarks import (
    FIGURES,
    NEIGHBOURS,
    Authority,
    BenchmarksFileError,
    benchmarks_frame,
    compare,
    read_authority,
    read_figures,
    read_lait,
    read_neighbours,
)
from scst_metrics.benchmarks.__main__ import main
from scst_metrics.benchmarks.compare import dfe_quartile, dfe_rank
from scst_metrics.benchmarks.figures import dfe_year, write_figures
from scst_metrics.benchmarks.measures import MEASURES

# A small file in DfE's LAIT long format (bds_long): seven authorities, their regions, England.
# 869's re-referrals are suppressed ("c"); 302's 2024 figure is "-".
LAIT = """Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region
ReReferral,re-referrals,2025,Slough,20,871,South East
ReReferral,,2025,Bracknell Forest,10,867,South East
ReReferral,,2025,Windsor and Maidenhead,20,868,South East
ReReferral,,2025,West Berkshire,c,869,South East
ReReferral,,2025,Reading,30,872,South East
ReReferral,,2025,Barking and Dagenham,25,301,Outer London
ReReferral,,2025,Barnet,15,302,Outer London
ReReferral,,2025,South East,22,989,
ReReferral,,2025,London (Outer),-,988,
ReReferral,,2025,London,24,986,
ReReferral,,2025,England,21,970,
ReReferral,,2024,Slough,18,871,South East
ReReferral,,2024,Reading,12,872,South East
ReReferral,,2024,Barking and Dagenham,14,301,Outer London
ReReferral,,2024,Barnet,-,302,Outer London
ReReferral,,2024,Bracknell Forest,40,867,South East
ReReferral,,2024,South East,19,989,
ReReferral,,2024,England,20,970,
ReReferral,,2014-16,Slough,99,871,South East
CareLeaverAcc,suitable accommodation,2025,Slough,80,871,South East
CareLeaverAcc,,2025,Bracknell Forest,90,867,South East
CareLeaverAcc,,2025,Windsor and Maidenhead,80,868,South East
CareLeaverAcc,,2025,West Berkshire,70,869,South East
CareLeaverAcc,,2025,Reading,60,872,South East
CareLeaverAcc,,2025,Barking and Dagenham,x,301,Outer London
CareLeaverAcc,,2025,London (Outer),88,988,
CareLeaverAcc,,2025,England,75,970,
LAC,rate per 10000,2025,Slough,37,871,South East
LAC,,2025,Bracknell Forest,40,867,South East
LAC,,2025,England,67,970,
RTA,not one of ours,2025,Slough,5,871,South East
"""
# Slough (871): May 2025 neighbours 867, 868, 869; April 2021 neighbours 872, 301, 302.
# Barking and Dagenham (301): May 2025 neighbours 302, 871, 867 (no April 2021 list here).
SN = """list,la_number,rank,neighbour_la_number
sn_may_2025,871,1,867
sn_may_2025,871,2,868
sn_may_2025,871,3,869
sn_april_2021,871,1,872
sn_april_2021,871,2,301
sn_april_2021,871,3,302
sn_may_2025,301,1,302
sn_may_2025,301,2,871
sn_may_2025,301,3,867
"""
SLOUGH = Authority("E06000039", 871, "Slough")
BARKING = Authority("E09000002", 301, "Barking and Dagenham")


@pytest.fixture()
def small(tmp_path: Path):
    (tmp_path / "lait.csv").write_text(LAIT, encoding="utf-8")
    (tmp_path / "sn.csv").write_text(SN, encoding="utf-8")
    out = tmp_path / "figures.csv"
    assert main(["--from", str(tmp_path / "lait.csv"), "--out", str(out)]) == 0
    return read_figures(out), read_neighbours(tmp_path / "sn.csv")


def pick(frame: pd.DataFrame, indicator: str, year: int, comparator: str) -> pd.Series:
    rows = frame[
        (frame.indicator_id == indicator) & (frame.year == year) & (frame.comparator == comparator)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_years_as_dfe_names_them():
    assert dfe_year("2025") == 2025
    assert dfe_year("2024-25") == 2025  # year to 31 March 2025
    assert dfe_year("2023/24") == 2024
    assert dfe_year("2014-16") is None  # a three-year span is not one year
    assert dfe_year("2024-25 (OT)") is None


def test_reader_keeps_our_measures_and_dfe_symbols(small):
    figures, _ = small
    assert set(figures.measure) == {"ReReferral", "CareLeaverAcc", "LAC"}  # not RTA
    assert 2014 not in set(figures.year) and 2016 not in set(figures.year)  # "2014-16" dropped
    west_berks = figures[(figures.measure == "ReReferral") & (figures.geography_code == 869)]
    assert west_berks.value.isna().all() and list(west_berks.symbol) == ["c"]  # never 0
    barnet_2024 = figures[
        (figures.measure == "ReReferral") & (figures.year == 2024) & (figures.geography_code == 302)
    ]
    assert list(barnet_2024.symbol) == ["-"]
    levels = figures.set_index("geography_code").geography_level.to_dict()
    assert levels[871] == "la" and levels[989] == "region" and levels[970] == "england"
    assert set(figures.publication) == {
        MEASURES["rereferrals_12m"].publication,
        MEASURES["care_leavers_accommodation"].publication,
        MEASURES["lac_rate"].publication,
    }


def test_low_polarity_neighbours_rank_quartile_by_hand(small):
    figures, lists = small
    frame = compare(figures, lists, SLOUGH)
    us = pick(frame, "rereferrals_12m", 2025, "us_published")
    assert us.value == 20 and us.geography_name == "Slough"
    # Authorities publishing in 2025: 20, 10, 20, 30, 25, 15 (869 suppressed: left out).
    # Lower is better: 10 and 15 are better than 20 -> rank 3; 868's 20 ties, also 3.
    assert us["rank"] == 3 and us.rank_of == 6
    # R quantile type 7 of 10,15,20,20,25,30 (n=6, h=(n-1)p): 25% h=1.25 -> 15+0.25*5 = 16.25;
    # 50% h=2.5 -> 20; 75% h=3.75 -> 20+0.75*5 = 23.75. 20 is in (16.25, 20]: second quarter,
    # lower is better -> B.
    assert us.quartile == "B"
    # Neighbours (May 2025 list for 2025): 867 = 10, 868 = 20, 869 suppressed -> (10+20)/2 = 15
    sn = pick(frame, "rereferrals_12m", 2025, "neighbours")
    assert sn.value == 15 and "2 of 3" in sn.detail and "sn_may_2025" in sn.detail
    assert pick(frame, "rereferrals_12m", 2025, "region").value == 22
    assert pick(frame, "rereferrals_12m", 2025, "region").geography_name == "South East"
    assert pick(frame, "rereferrals_12m", 2025, "england").value == 21
    # 2024 uses the April 2021 list: 872 = 12, 301 = 14, 302 "-" -> (12+14)/2 = 13
    sn24 = pick(frame, "rereferrals_12m", 2024, "neighbours")
    assert sn24.value == 13 and "sn_april_2021" in sn24.detail
    # 2024 publishing: 18, 12, 14, 40 -> 12 and 14 better than 18 -> rank 3 of 4
    us24 = pick(frame, "rereferrals_12m", 2024, "us_published")
    assert us24["rank"] == 3 and us24.rank_of == 4


def test_high_polarity_rank_and_boundary_quartile_by_hand(small):
    figures, lists = small
    frame = compare(figures, lists, SLOUGH)
    us = pick(frame, "care_leavers_accommodation", 2025, "us_published")
    # Publishing: 80, 90, 80, 70, 60 (301 "x" left out). Higher is better: only 90 is better
    # -> rank 2 (868's 80 ties at 2).
    assert us["rank"] == 2 and us.rank_of == 5
    # Type 7 of 60,70,80,80,90 (h=4p): 25% -> 70, 50% -> 80, 75% -> 80. 80 is in (70, 80]:
    # a boundary value falls in the lower quarter (LAIT's `<=`), the second lowest -> C.
    assert us.quartile == "C"
    # Neighbours 867 = 90, 868 = 80, 869 = 70 -> 80
    assert pick(frame, "care_leavers_accommodation", 2025, "neighbours").value == 80


def test_no_dfe_polarity_no_rank(small):
    figures, lists = small
    frame = compare(figures, lists, SLOUGH)
    us = pick(frame, "lac_rate", 2025, "us_published")
    assert us.value == 37 and pd.isna(us["rank"]) and pd.isna(us.quartile)
    assert pick(frame, "lac_rate", 2025, "neighbours").value == 40  # only 867 published


def test_another_authority_neighbours_region_england(small):
    figures, lists = small
    frame = compare(figures, lists, BARKING)
    us = pick(frame, "rereferrals_12m", 2025, "us_published")
    # 25: better are 10, 15, 20, 20 -> rank 5 of 6; quartiles as above: 25 > 23.75 -> D
    assert us.value == 25 and us["rank"] == 5 and us.quartile == "D"
    # Neighbours 302 = 15, 871 = 20, 867 = 10 -> 15
    assert pick(frame, "rereferrals_12m", 2025, "neighbours").value == 15
    # Outer London has no re-referrals figure in the latest year -> London, as LAIT does
    region = pick(frame, "rereferrals_12m", 2025, "region")
    assert region.geography_code == 986 and region.value == 24
    # Care leavers: Outer London published -> its own row
    assert pick(frame, "care_leavers_accommodation", 2025, "region").value == 88
    us_acc = pick(frame, "care_leavers_accommodation", 2025, "us_published")
    assert us_acc.symbol == "x" and pd.isna(us_acc.value) and pd.isna(us_acc["rank"])
    assert pick(frame, "rereferrals_12m", 2025, "england").value == 21
    # No April 2021 list for 301 here: its May 2025 list serves 2024 too (302 "-", 871 18,
    # 867 40 -> 29)
    assert pick(frame, "rereferrals_12m", 2024, "neighbours").value == 29


def test_rank_and_quartile_helpers_match_r():
    values = [1.0, 2.0, 2.0, 3.0]
    assert [dfe_rank(v, values, "Low") for v in values] == [1, 2, 2, 4]  # ties "min"
    assert [dfe_rank(v, values, "High") for v in values] == [4, 2, 2, 1]
    assert dfe_rank(2.0, values, "-") is None
    # type 7 of 1,2,2,3: 25% 1.75, 50% 2, 75% 2.25
    assert [dfe_quartile(v, values, "Low") for v in (1.0, 2.0, 2.2, 3.0)] == list("ABCD")
    assert [dfe_quartile(v, values, "High") for v in (1.0, 2.0, 2.2, 3.0)] == list("DCBA")


@pytest.mark.parametrize(
    "line, column, text",
    [
        ("ReReferral,20x5,2025,la,871,Slough,South East,20,,DfE", "year", "not a year"),
        ("ReReferral,2025,2025,la,871,Slough,South East,,,DfE", "symbol", "needs a DfE symbol"),
        ("ReReferral,2025,2025,la,871,Slough,South East,0,c,DfE", "symbol", "with a value"),
        ("ReReferral,2025,2025,la,871,Slough,South East,lots,,DfE", "value", "not a number"),
        ("ReReferral,2025,2025,la,970,England,,20,,DfE", "geography_level", "is england"),
        ("ReReferral,2025,2025,la,871,Slough,South East,20,,", "publication", "empty"),
        ("ReReferral,2025,2025,la,871,Slough", "region", "6 fields, expected 10"),
    ],
)
def test_malformed_file_refused_naming_line_and_column(tmp_path, line, column, text):
    good = "ReReferral,2025,2025,england,970,England,,21,,DfE"
    path = tmp_path / "dfe_figures.csv"
    header = (
        "measure,year,year_label,geography_level,geography_code,geography_name,region,"
        "value,symbol,publication"
    )
    path.write_text(f"{header}\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(BenchmarksFileError) as err:
        read_figures(path)
    message = str(err.value)
    assert str(path) in message and "line 3" in message and f"column '{column}'" in message
    assert text in message and "python -m scst_metrics.benchmarks" in message


def test_wrong_header_and_not_lait(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(BenchmarksFileError, match="line 1"):
        read_figures(path)
    with pytest.raises(BenchmarksFileError, match="not DfE's LAIT long file"):
        read_lait(path)


def test_round_trip_keeps_values_and_symbols(small, tmp_path):
    figures, _ = small
    out = tmp_path / "again.csv"
    write_figures(figures, out)
    pd.testing.assert_frame_equal(read_figures(out), figures)


def test_authority_setting(tmp_path):
    assert read_authority() == SLOUGH  # data/authority.toml
    bad = tmp_path / "authority.toml"
    bad.write_text('la_code = "E06000039"\nla_number = 1871\n', encoding="utf-8")
    with pytest.raises(AuthorityFileError, match="la_number 1871"):
        read_authority(bad)
    bad.write_text('la_code = "slough"\nla_number = 871\n', encoding="utf-8")
    with pytest.raises(AuthorityFileError, match="la_code 'slough'"):
        read_authority(bad)


def test_shipped_file_slough_2025():
    figures = read_figures(FIGURES)
    lists = read_neighbours(NEIGHBOURS)
    assert {m.measure for m in MEASURES.values()} == set(figures.measure)
    # every authority has ten neighbours in the May 2025 list
    assert len(lists["sn_may_2025"]) >= 150
    assert {len(n) for n in lists["sn_may_2025"].values()} == {10}
    frame = benchmarks_frame()
    # DfE: Slough 37 children looked after per 10,000 at 31 March 2025; South East 55; England 67
    assert pick(frame, "lac_rate", 2025, "us_published").value == 37
    assert pick(frame, "lac_rate", 2025, "region").value == 55
    assert pick(frame, "lac_rate", 2025, "england").value == 67
    # Slough's May 2025 neighbours, DfE's list rank 1 = Hounslow
    assert lists["sn_may_2025"][871][0] == 313
    # suppressed figures kept as symbols, never zero
    assert (figures.value.isna() == figures.symbol.notna()).all()


def test_shipped_file_for_another_authority():
    # Hounslow (313, Outer London): its own neighbours, London region, the same England
    hounslow = Authority("E09000018", 313, "Hounslow")
    frame = benchmarks_frame(hounslow)
    us = pick(frame, "rereferrals_12m", 2025, "us_published")
    assert us.geography_name == "Hounslow"
    assert pick(frame, "lac_rate", 2025, "england").value == 67
    region = pick(frame, "lac_rate", 2025, "region")
    assert region.geography_name in {"London (Outer)", "London"}
    lists = read_neighbours(NEIGHBOURS)
    assert 871 in lists["sn_may_2025"][313]  # Slough is one of Hounslow's neighbours
    figures = read_figures(FIGURES)
    lac = figures[(figures.measure == "LAC") & (figures.year == 2025)].set_index("geography_code")
    expected = lac.value.reindex(lists["sn_may_2025"][313]).dropna().mean()
    assert pick(frame, "lac_rate", 2025, "neighbours").value == pytest.approx(expected)


# An explore-education-statistics CSV (DfE open data standards), children looked after rate
EES = """time_period,time_identifier,geographic_level,country_code,country_name,region_code,\
region_name,new_la_code,old_la_code,la_name,population_count,number,rate_per_10000
2025,Reporting year,National,E92000001,England,,,,,,Children looked after at 31 March,83630,70
2025,Reporting year,Regional,E92000001,England,E12000008,South East,,,,\
Children looked after at 31 March,9000,58
2025,Reporting year,Local authority,E92000001,England,E12000008,South East,E06000039,871,\
Slough,Children looked after at 31 March,175,38
2025,Reporting year,Local authority,E92000001,England,E12000008,South East,E06000036,867,\
Bracknell Forest,Children looked after at 31 March,c,c
2025,Reporting year,Local authority,E92000001,England,E12000008,South East,E06000036,867,\
Bracknell Forest,Children starting,12,3
"""


def test_ees_csv_replaces_the_same_rows(tmp_path, small):
    figures, lists = small
    out = tmp_path / "figures.csv"
    write_figures(figures, out)
    (tmp_path / "ees.csv").write_text(EES, encoding="utf-8")
    argv = [
        "--from",
        str(tmp_path / "ees.csv"),
        "--out",
        str(out),
        "--ees",
        "LAC=rate_per_10000",
        "--where",
        "population_count=Children looked after at 31 March",
    ]
    assert main(argv) == 0
    again = read_figures(out)
    lac = again[again.measure == "LAC"].set_index("geography_code")
    # EES figures replace LAIT's for 2025: Slough 38 (was 37), England 70, South East 58;
    # Bracknell Forest suppressed "c" (LAIT had 40), the "Children starting" row filtered out
    assert lac.value[871] == 38 and lac.value[970] == 70 and lac.value[989] == 58
    assert pd.isna(lac.value[867]) and lac.symbol[867] == "c"
    assert lac.geography_name[989] == "South East" and lac.region[871] == "South East"
    # other measures untouched
    pd.testing.assert_frame_equal(
        again[again.measure != "LAC"].reset_index(drop=True),
        figures[figures.measure != "LAC"].reset_index(drop=True),
    )
    frame = compare(again, lists, SLOUGH)
    assert pd.isna(pick(frame, "lac_rate", 2025, "neighbours").value)  # 867 "c": none left


def test_ees_bad_cell_named(tmp_path):
    bad = EES.replace(",175,38\n", ",175,lots\n")
    (tmp_path / "ees.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(BenchmarksFileError, match=r"line 4, column 'rate_per_10000': 'lots'"):
        from scst_metrics.benchmarks.figures import read_ees

        read_ees(tmp_path / "ees.csv", {"LAC": "rate_per_10000"})


def test_reconciliation_from_a_real_load(tmp_path):
    # The indicator fixture drop (tests/fixtures/drops/indicators) loaded by the real loader;
    # DfE figures for "us" (LA 871) for the year to 31 March 2019, in LAIT's format.
    from indicator_drops import build

    from scst_metrics.benchmarks.reconcile import our_year_ends, reconcile

    db = build(tmp_path)
    lait = (
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "LACnum,,2019,Slough,7,871,South East\n"
        "LACStable_2016on,,2019,Slough,20,871,South East\n"
        "CareLeaverAcc,,2019,Slough,c,871,South East\n"
        "LACnum,,2019,England,78000,970,\n"
    )
    (tmp_path / "lait.csv").write_text(lait, encoding="utf-8")
    (tmp_path / "sn.csv").write_text(SN, encoding="utf-8")
    figures = read_lait(tmp_path / "lait.csv")
    bench = compare(figures, read_neighbours(tmp_path / "sn.csv"), SLOUGH)
    rows = reconcile(our_year_ends(db), bench).set_index("indicator_id")
    # Looked after at 31/03/2019: L1, L2, L3, L4, L6 = 5 (L5 V3 only); DfE "published" 7:
    # a count must match exactly -> -2, flagged
    lac = rows.loc["lac_count"]
    assert (lac.ours, lac.dfe, lac.difference, bool(lac.beyond_tolerance)) == (5, 7, -2, True)
    said = "our count of children looked after at 31 March 2019 is 5; DfE published 7"
    assert lac.message == said
    # 3+ placements, year to 31/03/2019: L2 of the five = 20%; DfE 20 -> 0, within tolerance
    stab = rows.loc["lac_3plus_placements"]
    assert (stab.ours, stab.dfe, stab.difference, bool(stab.beyond_tolerance)) == (
        20.0,
        20.0,
        0.0,
        False,
    )
    # suppressed DfE figure: no difference, the symbol kept, not flagged
    acc = rows.loc["care_leavers_accommodation"]
    assert pd.isna(acc.dfe) and acc.dfe_symbol == "c" and not bool(acc.beyond_tolerance)
    assert set(rows.year) == {2019}
    # a figure for one month is not DfE's year: never reconciled
    assert "lac_missing_pct" not in rows.index and "lac_missing_month" not in rows.index


def test_indicator_benchmarks_table_in_a_real_duckdb_file(tmp_path, small):
    import duckdb

    from scst_metrics.benchmarks import write_table

    figures, lists = small
    path = tmp_path / "t.duckdb"
    with duckdb.connect(str(path)) as con:
        frame = compare(figures, lists, SLOUGH)
        assert write_table(con, frame) == len(frame)
    with duckdb.connect(str(path), read_only=True) as con:
        got = con.execute(
            "SELECT value, symbol, rank, rank_of, quartile FROM indicator_benchmarks "
            "WHERE indicator_id = 'rereferrals_12m' AND year = 2025 AND comparator = 'us_published'"
        ).fetchall()
        assert got == [(20.0, None, 3, 6, "B")]  # worked above
        kinds = {r[0]: r[1] for r in con.execute("DESCRIBE indicator_benchmarks").fetchall()}
        assert kinds["year"] == "INTEGER" and kinds["value"] == "DOUBLE"
        assert kinds["rank"] == "INTEGER"
    # another authority replaces the table; its suppressed figure: NULL value, symbol kept
    with duckdb.connect(str(path)) as con:
        write_table(con, compare(figures, lists, BARKING))
        got = con.execute(
            "SELECT value, symbol, rank FROM indicator_benchmarks WHERE indicator_id = "
            "'care_leavers_accommodation' AND year = 2025 AND comparator = 'us_published'"
        ).fetchall()
        assert got == [(None, "x", None)]
