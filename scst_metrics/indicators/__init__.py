"""The indicator library: the catalogue (declared once), its queries, targets and RAG.

`materialise(con, as_at)` is the nightly load's last building step (see materialise.py).
"""

from .catalogue import INDICATORS, Indicator, get
from .materialise import materialise

__all__ = ["INDICATORS", "Indicator", "get", "materialise"]
