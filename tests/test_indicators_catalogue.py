"""The catalogue is complete and consistent, and docs/indicators.md is not stale."""

from __future__ import annotations

import ast
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


def test_every_query_file_belongs_to_an_indicator():
    files = {p.stem for p in cat.QUERIES.glob("*.sql")}
    assert files == {i.id for i in cat.INDICATORS if i.derived_from is None}


def _ids_tested_in(source: str) -> set[str]:
    """Indicator ids passed to a call inside a test function of one file (`row(db, "lac_count",
    ...)`, `sm.series("lac_count", ...)`): a worked test reads the indicator's values."""
    tree = ast.parse(source)
    found: set[str] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name.startswith("test_"):
            for call in ast.walk(fn):
                if isinstance(call, ast.Call):
                    for arg in [*call.args, *(k.value for k in call.keywords)]:
                        if isinstance(arg, ast.Constant) and arg.value in cat.BY_ID:
                            found.add(arg.value)
    return found


def test_every_indicator_has_a_worked_test():
    files = [p for p in TESTS.glob("test_indicators_*.py") if p.name != Path(__file__).name]
    tested = set().union(*(_ids_tested_in(p.read_text(encoding="utf-8")) for p in files))
    untested = [i.id for i in cat.INDICATORS if i.id not in tested]
    assert not untested, f"indicators without a worked test: {untested}"
    assert len(files) >= 5 and "lac_count" in tested


def test_a_worked_test_is_a_call_inside_a_test():
    source = (
        'IDS = ("cp_plans",)\n'  # a list of names is not a test
        "def test_listed():\n"
        '    assert "lac_rate" in cat.BY_ID\n'  # nor a membership check
        "def helper(db):\n"
        '    return row(db, "pep_in_date")\n'  # nor a call outside a test
        "def test_worked(db):\n"
        '    assert row(db, "lac_count", "H01") == (2, None, 2)\n'
        '    assert sm.series(indicator_id="rereferrals_12m", db=db).empty\n'
    )
    assert _ids_tested_in(source) == {"lac_count", "rereferrals_12m"}


def test_docs_indicators_md_is_not_stale():
    assert dictionary.DOC.read_text(encoding="utf-8") == dictionary.render(), (
        "docs/indicators.md is stale: run python -m scst_metrics.indicators.dictionary"
    )


def _streamlit_imports(source: str) -> list[int]:
    """Lines importing streamlit in any form: import streamlit, import streamlit.x as y,
    from streamlit import x, from streamlit.x import y -- at module level or in a function."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        if any(n.split(".")[0] == "streamlit" for n in names):
            lines.append(node.lineno)
    return lines


def test_no_streamlit_in_the_library():
    root = Path(cat.__file__).resolve().parents[1]
    for path in root.rglob("*.py"):
        assert not _streamlit_imports(path.read_text(encoding="utf-8")), path


def test_every_form_of_importing_streamlit_is_seen():
    # the old text check ("import streamlit" in the source) missed line 3
    source = (
        "import os\n"
        "import streamlit.components.v1 as components\n"
        "from streamlit import cache_data\n"
        "def f():\n"
        "    import streamlit as st\n"
        "streamlit_ish = 1  # a name, not an import\n"
    )
    assert _streamlit_imports(source) == [2, 3, 5]
