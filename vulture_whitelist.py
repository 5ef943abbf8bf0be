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

# --- dead, removed by LOAD/CATALOGUE (issue 8 item 7): drop these after merging them -------
rows_by_table  # scst_metrics/load/pipeline.py -- removed by LOAD
keep_rows_count  # scst_metrics/load/checks.py -- removed by LOAD
PANDAS_DTYPES  # scst_metrics/extracts/cells.py -- removed by LOAD
_.hours_since_publish  # scst_metrics/quality.py -- removed by LOAD
_.as_dict  # scst_metrics/extracts/problems.py -- unused (LOAD's file)
title_html  # scst_metrics/charts/trend.py -- removed by CATALOGUE
rag_word  # scst_metrics/charts/tiles.py: TileLine fields set, never read -- CATALOGUE's file
rag_icon
