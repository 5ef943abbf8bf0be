"""Which files of a drop a reader may open: regular files inside the drop, never links.

A symbolic link in the drop (to a file outside it, or to a system file) is refused without
being opened: the load reads only what the case-management system wrote into the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from .problems import UnusableFile

LINK = (
    "is a symbolic link; the load does not follow links (it could point outside the drop). "
    "Copy the file itself into the drop."
)
OUTSIDE = "resolves to a file outside the drop folder. Copy the file itself into the drop."


def drop_files(folder: Path, root: Path, suffix: str) -> tuple[list[Path], list[UnusableFile]]:
    """The `suffix` files under `folder`, sorted; links (and folders that are links) refused."""
    refused: list[UnusableFile] = []
    found: list[Path] = []
    real_root = root.resolve()
    if folder.is_symlink():
        return [], [UnusableFile(folder.relative_to(root).as_posix() + "/", LINK)]
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                refused.append(UnusableFile((here / name).relative_to(root).as_posix() + "/", LINK))
                dirnames.remove(name)
        for name in filenames:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():  # any link, whatever its name: never opened
                refused.append(UnusableFile(rel, LINK))
                continue
            if not name.lower().endswith(suffix) or not path.is_file():
                continue
            if not path.resolve().is_relative_to(real_root):
                refused.append(UnusableFile(rel, OUTSIDE))
                continue
            found.append(path)
    return sorted(found), sorted(refused, key=lambda u: u.file)
