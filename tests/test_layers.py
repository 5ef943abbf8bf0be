"""Arrows point down only: no module imports from a layer above its own.

Every import is read with `ast` from the source -- module level, inside functions, and the
string given to `importlib.import_module(...)` / `__import__(...)` -- so a late or dynamic
import cannot hide an upward arrow. The layers, low to high (the architecture's order):

    0  extracts, published.py, authority.py   the formats, the published file, who we are
    1  load                                   the nightly load
    2  indicators, api, quality, spc,         the library the board reads
       benchmarks, notes, access
    3  charts, export, pack                   figures, images, the board pack
    4  app.py, pages/, any other top-level    the Streamlit board
       package beside them (the board frame)

A module may import from its own layer and those below. `scst_metrics.demo` is a source
system, not a layer: it writes files and may import only the extract schema (and the standard
library and third-party packages); the board may call it. Entry points compose layers and are
not checked for direction: `__main__.py` modules, the `scst_metrics/__init__.py` facade and
`scst_metrics/nightly.py`. Nothing in scst_metrics imports streamlit.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = "scst_metrics"

# Dotted-name prefix -> layer. The longest matching prefix wins.
LAYERS: dict[str, int] = {
    "scst_metrics.extracts": 0,
    "scst_metrics.published": 0,
    "scst_metrics.authority": 0,
    "scst_metrics.load": 1,
    "scst_metrics.indicators": 2,
    "scst_metrics.api": 2,
    "scst_metrics.quality": 2,
    "scst_metrics.spc": 2,
    "scst_metrics.benchmarks": 2,
    "scst_metrics.notes": 2,
    "scst_metrics.access": 2,
    "scst_metrics.summary": 2,
    "scst_metrics.charts": 3,
    "scst_metrics.export": 3,
    "scst_metrics.pack": 3,
    "scst_metrics.meeting": 3,
}
APP = 4  # app.py, pages/ and any other top-level package of the repository
SOURCE_SYSTEM = "scst_metrics.demo"
SOURCE_SYSTEM_MAY_IMPORT = ("scst_metrics.demo", "scst_metrics.extracts.schema")
ENTRY_POINTS = ("scst_metrics", "scst_metrics.nightly")  # plus every *.__main__
NEVER = ("streamlit",)  # not importable anywhere in the library

# Known upward imports, each removed by the named issue's work once merged. Keep it short.
ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    module: str  # the importing module's dotted name
    path: Path
    line: int
    target: str  # the dotted name imported (resolved when relative)
    text: str  # the statement as written


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute dotted name of `from <level dots><name> import ...` in `module`."""
    if level == 0:
        return name or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports_of(path: Path, root: Path) -> list[Import]:
    """Every import in one file, with the names it reaches."""
    module = module_name(path, root)
    is_package = path.name == "__init__.py"
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[Import] = []

    def add(node: ast.AST, target: str) -> None:
        text = lines[node.lineno - 1].strip()
        found.append(Import(module, path, node.lineno, target, text))

    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            # `from pkg import sub` reaches the submodule pkg.sub when there is one
            subs = [f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}", root)]
            for target in subs if len(subs) == len(node.names) else [base, *subs]:
                add(node, target)
        elif (
            isinstance(node, ast.Call)
            and _is_dynamic_import(node.func)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            name = node.args[0].value
            level = len(name) - len(name.lstrip("."))
            add(node, _resolve(module, is_package, level, name.lstrip(".") or None))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def _is_module(dotted: str, root: Path) -> bool:
    p = root.joinpath(*dotted.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


def layer_of(dotted: str, layers: dict[str, int], lib: str) -> int | None:
    """The layer of a module of the repository; None for the standard library, third-party
    packages and entry points."""
    best = None
    for prefix, layer in layers.items():
        if (dotted == prefix or dotted.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, layer)
    return None if best is None else best[1]


def check(
    root: Path,
    lib: str,
    layers: dict[str, int],
    *,
    source_system: str,
    source_system_may_import: tuple[str, ...],
    entry_points: tuple[str, ...],
    app_files: list[Path],
    allowed: set[tuple[str, str]] = frozenset(),
) -> list[str]:
    """Every upward import under root/lib and in app_files, as messages naming the module,
    file, line and the statement."""
    problems: list[str] = []
    files = sorted((root / lib).rglob("*.py")) + list(app_files)
    lib_files = {f for f in files if f.is_relative_to(root / lib)}

    def where(i: Import) -> str:
        return f"{i.module} ({i.path.relative_to(root)}:{i.line}) `{i.text}`"

    def target_layer(target: str) -> int | None:
        if target == lib:  # the facade: as high as what it re-exports
            facade = root / lib / "__init__.py"
            inner = [layer_of(i.target, layers, lib) for i in imports_of(facade, root)]
            return max((x for x in inner if x is not None), default=0)
        if target == source_system or target.startswith(source_system + "."):
            return APP  # the board may run the demo Trust; the library may not
        if target.startswith(lib + "."):
            return layer_of(target, layers, lib)
        return None  # standard library or third-party (or another top-level package)

    reported: set[tuple[Path, int]] = set()  # one message per statement

    def problem(i: Import, why: str) -> None:
        if (i.path, i.line) not in reported:
            reported.add((i.path, i.line))
            problems.append(f"{where(i)}: {why}")

    for path in files:
        in_lib = path in lib_files
        name = module_name(path, root)
        for i in imports_of(path, root):
            top = i.target.split(".")[0]
            if in_lib and top in NEVER:
                problem(i, f"the library imports {top}")
                continue
            if name.endswith("__main__") or name in entry_points:
                continue
            if name == source_system or name.startswith(source_system + "."):
                if top == lib and not any(
                    i.target == ok or i.target.startswith(ok + ".")
                    for ok in source_system_may_import
                ):
                    may = ", ".join(source_system_may_import)
                    problem(i, f"the demo Trust is a source system and may import only {may}")
                continue
            own = layer_of(name, layers, lib) if in_lib else APP
            if own is None:
                problem(i, f"{name} is not in the layer map")
                continue
            theirs = target_layer(i.target)
            if theirs is None or theirs <= own:
                continue
            if any(
                name == m and (i.target == t or i.target.startswith(t + ".")) for m, t in allowed
            ):
                continue
            problem(i, f"layer {own} imports {i.target} from layer {theirs}")
    return problems


def _app_files(root: Path) -> list[Path]:
    """app.py, pages/ and any other top-level package of the repository (the board frame)."""
    skip = {LIB, "tests", "bench", "docs", "data"}
    out = [root / "app.py"] if (root / "app.py").exists() else []
    for d in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if d.name not in skip and any(d.glob("*.py")):
            out += sorted(d.rglob("*.py"))
    return out


def test_no_module_imports_from_a_layer_above_it():
    problems = check(
        ROOT,
        LIB,
        LAYERS,
        source_system=SOURCE_SYSTEM,
        source_system_may_import=SOURCE_SYSTEM_MAY_IMPORT,
        entry_points=ENTRY_POINTS,
        app_files=_app_files(ROOT),
        allowed=ALLOWED,
    )
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_every_library_module_has_a_layer():
    for path in sorted((ROOT / LIB).rglob("*.py")):
        name = module_name(path, ROOT)
        if name.endswith("__main__") or name in ENTRY_POINTS or name.startswith(SOURCE_SYSTEM):
            continue
        assert layer_of(name, LAYERS, LIB) is not None, f"{name}: add it to LAYERS"


def test_the_allowed_upward_imports_still_exist():
    # an entry left in ALLOWED after the import went would hide the next one
    seen = {
        (i.module, t)
        for path in sorted((ROOT / LIB).rglob("*.py"))
        for i in imports_of(path, ROOT)
        for m, t in ALLOWED
        if i.module == m and (i.target == t or i.target.startswith(t + "."))
    }
    assert seen == ALLOWED, f"stale ALLOWED entries: {ALLOWED - seen}"


def _write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_checker_bites(tmp_path):
    # A tiny package with one upward import of each kind the checker must catch.
    for d in ("pkg", "pkg/extracts", "pkg/load", "pkg/charts", "pkg/demo"):
        _write(tmp_path, f"{d}/__init__.py", "")
    _write(tmp_path, "pkg/extracts/schema.py", "import os\n")
    _write(tmp_path, "pkg/charts/draw.py", "from ..extracts import schema\n")  # down: fine
    _write(
        tmp_path,
        "pkg/extracts/reader.py",
        """\
        import importlib
        from pkg.extracts import schema


        def late():
            from ..charts import draw
            return draw


        def dynamic():
            return importlib.import_module("..load.run", __package__)
        """,
    )
    _write(
        tmp_path,
        "pkg/load/run.py",
        "from pkg.charts.draw import x\nfrom streamlit import cache_data\n",
    )
    _write(tmp_path, "pkg/demo/gen.py", "from pkg.extracts import schema, reader\n")
    _write(tmp_path, "pkg/demo/__main__.py", "from pkg.charts import draw\n")  # entry point
    _write(tmp_path, "app.py", "from pkg.charts import draw\n")
    layers = {"pkg.extracts": 0, "pkg.load": 1, "pkg.charts": 3}
    settings = dict(
        source_system="pkg.demo",
        source_system_may_import=("pkg.demo", "pkg.extracts.schema"),
        entry_points=("pkg",),
        app_files=[tmp_path / "app.py"],
    )
    problems = check(tmp_path, "pkg", layers, **settings)
    text = "\n".join(problems)
    assert len(problems) == 5, text
    # the function-local import, with its line
    assert "pkg.extracts.reader (pkg/extracts/reader.py:6) `from ..charts import draw`: " in text
    assert "layer 0 imports pkg.charts.draw from layer 3" in text
    # the string given to importlib.import_module, resolved against the package
    assert 'reader.py:11) `return importlib.import_module("..load.run", __package__)`: ' in text
    assert "layer 0 imports pkg.load.run from layer 1" in text
    assert "pkg.load.run (pkg/load/run.py:1) `from pkg.charts.draw import x`: layer 1" in text
    assert (
        "pkg/load/run.py:2) `from streamlit import cache_data`: the library imports streamlit"
        in text
    )
    # the source system reaching past the schema (reader); schema itself is fine
    assert "pkg.demo.gen (pkg/demo/gen.py:1)" in text and "may import only" in text
    assert text.count("pkg.demo.gen") == 1
    # allowing a known one by (module, target) takes only that one away
    known = {("pkg.extracts.reader", "pkg.load")}
    fewer = check(tmp_path, "pkg", layers, **settings, allowed=known)
    assert len(fewer) == 4 and not any("pkg.load.run from" in p for p in fewer)
