"""Which authority we are: data/authority.toml (la_code, la_number, name).

The one place the board learns its local authority: the home code of "placed outside the
authority", the name in texts ("children living in Slough"), DfE's LA number for the
benchmarks. A low-layer module (beside published.py), so the indicator library, the benchmarks
and the pages all read the same setting. Nothing else in the code names an authority.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "data" / "authority.toml"
# Another file in its place (a second board from the same checkout, or a test): its path here
ENV = "SCST_AUTHORITY"


class AuthorityFileError(ValueError):
    """data/authority.toml cannot be read; the message names the file and the setting."""


@dataclass(frozen=True)
class Authority:
    la_code: str  # ONS GSS code, e.g. E06000039
    la_number: int  # DfE LA number, e.g. 871
    name: str

    @property
    def trust_name(self) -> str:
        """How the board names the organisation: "Slough Children's Services Trust"."""
        return f"{self.name} Children's Services Trust"


def read_authority(path: Path | None = None) -> Authority:
    """The authority in `path` (default: $SCST_AUTHORITY if set, else data/authority.toml);
    AuthorityFileError if the file is missing or wrong."""
    path = Path(path or os.environ.get(ENV) or DEFAULT)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuthorityFileError(
            f"{path}: no such file: say which authority we are (la_code, la_number, name)."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise AuthorityFileError(f"{path}: {exc}") from None
    code = data.get("la_code")
    if not isinstance(code, str) or not re.fullmatch(r"E0[6-9]\d{6}", code):
        raise AuthorityFileError(
            f'{path}: la_code {code!r} is not an English LA\'s ONS code such as "E06000039".'
        )
    number = data.get("la_number")
    if not isinstance(number, int) or not 200 <= number < 970:
        raise AuthorityFileError(
            f"{path}: la_number {number!r} is not a DfE LA number such as 871."
        )
    name = data.get("name", "")
    if not isinstance(name, str):
        raise AuthorityFileError(f"{path}: name must be text.")
    return Authority(la_code=code, la_number=number, name=name)
