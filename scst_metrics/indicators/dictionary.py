"""The data dictionary, docs/indicators.md, generated from the catalogue and data/targets.csv.

python -m scst_metrics.indicators.dictionary          # rewrite docs/indicators.md
python -m scst_metrics.indicators.dictionary --check  # exit 1 if it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..benchmarks.measures import MEASURES
from .catalogue import INDICATORS, SERVICE_AREAS, Indicator
from .small_numbers import FOOTNOTE, MIN_DENOMINATOR, TOO_FEW
from .targets import TARGETS_CSV, Target, parse_targets

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def _target_text(t: Target) -> str:
    scope = {"": "whole Trust", "all": "every hub"}.get(t.hub, t.hub.replace("kind:", "each "))
    what = f"{t.low:g}-{t.high:g}" if t.low is not None else f"{t.target:g}"
    if t.amber:
        what += f" (amber within {t.amber:g})"
    years = f"from {t.from_year}/{(t.from_year + 1) % 100:02d}"
    if t.to_year is not None:
        years += f" to {t.to_year}/{(t.to_year + 1) % 100:02d}"
    return f"{what}, {scope}, {years} -- {t.source}"


def _dfe_text(ind: Indicator) -> str:
    """Which DfE measure the board sets beside it (catalogue `dfe_measure`), and how ours
    differs (`dfe_difference`)."""
    if ind.dfe_measure is None:
        return "none (no DfE measure computed as ours is)"
    m = MEASURES[ind.id]
    text = f"`{m.measure}` ({m.publication}; DfE's year ends {m.period_end(2000):%-d %B})"
    return f"{text}. How ours differs: {m.difference}" if m.difference else f"{text}. The same."


def render() -> str:
    targets = parse_targets(TARGETS_CSV.read_text(encoding="utf-8-sig"), "data/targets.csv")
    out = [
        "# Indicator dictionary",
        "",
        "Generated from `scst_metrics/indicators/catalogue.toml` and `data/targets.csv` by",
        "`python -m scst_metrics.indicators.dictionary`; do not edit by hand (a test fails when",
        "it is stale).",
        "",
        "How every series is built: one value per month end from the start of the data (for",
        "annual indicators, per 31 March); the last period is the month containing the extract",
        "date, evaluated at that date. Per hub: the hub holding the child's case at the period",
        "end (allocations); the whole-Trust value is computed from the data, never averaged from",
        "hubs, and includes children held by no hub. A percentage with nothing to count is",
        "'no data' (NULL), never 0%. Working days exclude weekends and England bank holidays.",
        "Rates per 10,000 use the ONS 0-17 mid-year estimate DfE would use at that date",
        "(data/population.md).",
        "",
        "Small numbers (`scst_metrics/indicators/small_numbers.py`): a percentage whose",
        f"denominator is under {MIN_DENOMINATOR} gets no RAG verdict ('{TOO_FEW}'), and the",
        "count behind a percentage goes with it on screen. When figures leave the Trust, DfE's",
        f"convention applies: {FOOTNOTE}",
        "",
        "Each indicator's 'why it matters' line names its source: Ofsted's ILACS framework,",
        "Working Together to Safeguard Children 2023, the Care Planning, Placement and Case",
        "Review (England) Regulations 2010, DfE statutory guidance and official statistics.",
        "",
    ]
    for area, label in SERVICE_AREAS.items():
        out += [f"## {label}", ""]
        for ind in (i for i in INDICATORS if i.service_area == area):
            mine = [t for t in targets if t.indicator_id == ind.id]
            query = (
                f"- **Query:** none of its own: `{ind.derived_from}`'s whole-Trust value per "
                "10,000 children"
                if ind.derived_from
                else f"- **Query:** `scst_metrics/indicators/queries/{ind.id}.sql`"
            )
            out += [
                f"### {ind.title} (`{ind.id}`)",
                "",
                ind.definition,
                "",
                f"- **Why it matters:** {ind.why_text}",
                f"- **Numerator:** {ind.numerator}",
                f"- **Denominator:** {ind.denominator}",
                f"- **Unit:** {ind.unit_label}; **polarity:** {ind.polarity_words}",
                f"- **Period:** {ind.period_words}",
                f"- **By hub:** {'yes' if ind.splits_by_hub else 'no (whole Trust only)'}",
                f"- **Sources:** {ind.source_words} "
                f"(tables {', '.join(f'`{s}`' for s in ind.sources)})",
                f"- **Definition followed:** {ind.dfe_definition or 'local'}",
                f"- **Beside DfE's published figure:** {_dfe_text(ind)}",
                query,
            ]
            if mine:
                text = "; ".join(_target_text(t) for t in mine)
                if ind.target_pro_rata:
                    text += " -- a year's figure: each month end is held to its share of it"
                out.append("- **Default target:** " + text)
            else:
                out.append("- **Default target:** none (context indicator: no RAG)")
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else None
    if "--check" not in argv:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    elif current != text:
        print(f"{DOC} is stale: run python -m scst_metrics.indicators.dictionary")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
