"""RAG follows polarity; bands; tolerance; neutral and no-data are never rated."""

from __future__ import annotations

from scst_metrics.indicators.catalogue import BAND, HIGHER, LOWER, NEUTRAL
from scst_metrics.indicators.rag import AMBER, GREEN, RED, rag


def test_higher_is_better():
    assert rag(85.7, HIGHER, 85.7, 5) == GREEN  # on target is green
    assert rag(90, HIGHER, 85.7, 5) == GREEN
    assert rag(80.7, HIGHER, 85.7, 5) == AMBER  # exactly the tolerance below
    assert rag(80.6, HIGHER, 85.7, 5) == RED


def test_lower_is_better():
    assert rag(22.6, LOWER, 22.6, 3) == GREEN
    assert rag(25.6, LOWER, 22.6, 3) == AMBER
    assert rag(25.7, LOWER, 22.6, 3) == RED
    assert rag(23, LOWER, 22.6) == RED  # no tolerance: worse is red


def test_band():
    assert rag(40, BAND, low=40, high=70, amber=5) == GREEN  # ends included
    assert rag(70, BAND, low=40, high=70, amber=5) == GREEN
    assert rag(36, BAND, low=40, high=70, amber=5) == AMBER
    assert rag(75, BAND, low=40, high=70, amber=5) == AMBER
    assert rag(76, BAND, low=40, high=70, amber=5) == RED
    assert rag(20, BAND, low=40, high=70) == RED


def test_nothing_to_rate():
    assert rag(10, NEUTRAL, 5) is None
    assert rag(None, HIGHER, 5) is None
    assert rag(float("nan"), HIGHER, 5) is None  # no data
    assert rag(10, HIGHER) is None  # no target
