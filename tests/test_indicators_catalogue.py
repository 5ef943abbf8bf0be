"""The catalogue is complete and consistent, and docs/indicators.md is not stale."""

from __future__ import annotations

import re
from pathlib import Path

from scst_metrics.extracts.schema import TABLES
from scst_metrics.indicators import catalogue as cat
from scst_metrics.indicators import dictionary

TESTS = Path(__file__).parent


def test_required_ids_exist():
    for required in (
        "lac_count",
        "lac_3plus_placements",
        "rereferrals_12m",
        "assessments_45wd",
        "pep_in_date",
    ):
        assert required in cat.BY_ID


def test_every_declaration_is_complete():
    ids = [i.id for i in cat.INDICATORS]
    assert len(ids) == len(set(ids))
    for ind in cat.INDICATORS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.id)
        assert ind.service_area in cat.SERVICE_AREAS
        assert ind.unit in cat.UNITS and ind.polarity in cat.POLARITIES
        assert ind.period in cat.PERIODS
        assert ind.title and ind.definition and ind.numerator and ind.denominator
        assert all(s in TABLES for s in ind.sources), ind.id
        assert ind.sql.strip(), ind.id  # its query exists
        assert "streamlit" not in ind.sql


def test_every_query_file_belongs_to_an_indicator():
    files = {p.stem for p in cat.QUERIES.glob("*.sql")}
    assert files == {i.id for i in cat.INDICATORS if i.derived_from is None}


def test_every_indicator_has_a_worked_test():
    text = "".join(p.read_text() for p in TESTS.glob("test_indicators_*.py"))
    untested = [i.id for i in cat.INDICATORS if f'"{i.id}"' not in text]
    assert not untested, f"indicators without a worked test: {untested}"


def test_docs_indicators_md_is_not_stale():
    assert dictionary.DOC.read_text(encoding="utf-8") == dictionary.render(), (
        "docs/indicators.md is stale: run python -m scst_metrics.indicators.dictionary"
    )


def test_no_streamlit_in_the_library():
    root = Path(cat.__file__).resolve().parents[1]
    for path in root.rglob("*.py"):
        assert "import streamlit" not in path.read_text(), path
