"""Performance boards for a children's services trust: load, indicators, read API."""

from .api import TRUST, as_at, availability, catalogue, hubs, latest, periods, series
from .published import snapshot

__all__ = [
    "TRUST",
    "as_at",
    "availability",
    "catalogue",
    "hubs",
    "latest",
    "periods",
    "series",
    "snapshot",
]
