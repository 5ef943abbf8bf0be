"""Names vulture (`make lint`) reports that are used in ways it cannot see, and dead code in
other engineers' files that their work removes. Each entry says which; drop an entry when its
reason goes (vulture then reports the name again if it is still unused).
"""

# ruff: noqa: F821, B018
# fmt: off

# --- used, but not in a way vulture sees ------------------------------------------------
log_mtime  # pages/_board.py: a st.cache_data argument that is only the cache key
_.startElement  # scst_metrics/extracts/cin_census.py: xml.sax handler callbacks
attrs  # (the SAX callback's signature)
_.characters
_.endElement
pytestmark  # tests/browser: pytest reads the module's marks
demo_db  # tests/conftest.py: the session's demo database fixture (FRAME's fixtures to use it)
notes_outside_the_repository  # tests/conftest.py: an autouse fixture pytest calls itself

# --- public vocabulary and declared fields: read by people and other tools, not by our code ----
VARIATIONS  # scst_metrics/spc.py: the values SpcResult.variation takes (issue 10's public API)
ASSURANCES
POINT_TYPES
la_code  # scst_metrics/authority.py: the authority's ONS code, in data/authority.toml
dfe_measure  # scst_metrics/indicators/catalogue.py: the DfE measure an indicator compares with
created_by  # scst_metrics/notes: who wrote a note or an action first (kept with its audit history)
revision  # scst_metrics/notes/migrations: Alembic reads these module attributes
down_revision
branch_labels
depends_on
downgrade
# --- scst_metrics/pack: python-pptx properties set on its objects, fpdf2's page-footer hook ---
_.footer  # fpdf2 calls FPDF.footer() on every page
_.word_wrap
_.alignment
_.margin_bottom
_.margin_top
_.vertical_anchor
