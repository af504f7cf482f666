"""Docs that cannot drift: every shell block of README.md and examples/README.md runs as
written, and so does every Python block of README.md (as sqlite-utils tests its docs).

Each ```sh line runs in one scratch folder laid out like a checkout (a copy of ``examples/``,
``tests/gold``, ``../shared`` when it exists), with its own data home (a copy of the offline
gazetteer) and ``--db sqlite:///events.db`` as the README writes it. ``frontlines`` lines run
in this process through click's runner, so the spaCy model loads once; the examples are
ingested once per module, so the tour's own ``ingest`` line shows the no-op re-ingest.

A line's trailing comment may say how to treat it:

- ``# network ...``: needs the internet (download.geonames.org); skipped with that reason.
- ``# runs until stopped ...``: a server or watcher; skipped with that reason.
- ``# exit N ...``: the exit status the line documents (default 0).

``../shared`` lines skip when the shared data is absent; ``make`` and ``. .venv/bin/activate``
lines are the set-up the test itself stands on. Every other line must exit as documented and
give non-empty output that passes a sanity check (CSV with the ACLED header, GeoJSON that
parses, control with areas, alerts and control naming the store, ...).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shlex
import shutil
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SHARED_DATA

from frontlines.cli import main
from frontlines.model import ACLED_COLUMNS

pytestmark = pytest.mark.slow

DOCS = (REPO / "README.md", REPO / "examples" / "README.md")
FIXTURES = REPO / "tests" / "fixtures" / "gazetteer"
_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass
class Block:
    doc: Path
    lang: str
    index: int  # among the document's blocks of this language
    line: int  # where it starts in the document
    text: str

    @property
    def name(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line} ({self.lang})"


def blocks(doc: Path) -> list[Block]:
    text = doc.read_text(encoding="utf-8")
    found: list[Block] = []
    counts: dict[str, int] = {}
    for match in _FENCE.finditer(text):
        lang = match.group(1)
        counts[lang] = counts.get(lang, 0) + 1
        found.append(Block(doc, lang, counts[lang] - 1, text[:match.start()].count("\n") + 1,
                           match.group(2)))
    return found


SH_BLOCKS = [b for doc in DOCS for b in blocks(doc) if b.lang == "sh"]
PY_BLOCKS = [b for b in blocks(DOCS[0]) if b.lang == "python"]
TOML_BLOCKS = [b for doc in DOCS for b in blocks(doc) if b.lang == "toml"]


# -- the scratch checkout -------------------------------------------------------------------
@dataclass
class Tour:
    folder: Path
    home: Path
    log: list[str] = field(default_factory=list)

    @contextlib.contextmanager
    def inside(self) -> Iterator[None]:
        """cwd = the scratch checkout; FRONTLINES_* = its data home only; both restored."""
        saved_env, saved_cwd = dict(os.environ), Path.cwd()
        for key in [k for k in os.environ if k.startswith("FRONTLINES_")]:
            del os.environ[key]
        os.environ["FRONTLINES_HOME"] = str(self.home)
        os.chdir(self.folder)
        try:
            yield
        finally:
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)


def _mirror(folder: Path) -> None:
    """./mirror: a folder in the GeoNames dump layout (our real-format fixture rows)."""
    folder.mkdir()
    rows = (FIXTURES / "levant_slice.txt").read_text(encoding="utf-8").splitlines()
    for cc in ("LB", "SY"):
        mine = [r for r in rows if r.split("\t")[8] == cc]
        (folder / f"{cc}.txt").write_text("\n".join(mine) + "\n", encoding="utf-8")
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / name, folder / name)


@pytest.fixture(scope="module")
def tour(tmp_path_factory, offline_gazetteer) -> Tour:
    root = tmp_path_factory.mktemp("tour")
    folder = root / "frontlines"
    folder.mkdir()
    shutil.copytree(REPO / "examples", folder / "examples")
    (folder / "tests").mkdir()
    (folder / "tests" / "gold").symlink_to(REPO / "tests" / "gold")
    if SHARED_DATA.is_dir():
        (root / "shared").mkdir()
        (root / "shared" / "data").symlink_to(SHARED_DATA)
    _mirror(folder / "mirror")
    home = root / "home"
    home.mkdir()
    shutil.copy(offline_gazetteer, home / "gazetteer.sqlite")
    tour = Tour(folder, home)
    with tour.inside():  # ingest once per module; the tour's own ingest line is then a no-op
        result = CliRunner().invoke(main, ["ingest", "examples/", "--db", "sqlite:///events.db",
                                           "-q"])
    assert result.exit_code == 0, result.output
    return tour


# -- one line -------------------------------------------------------------------------------
def _comment(line: str) -> str:
    match = re.search(r"\s#\s*(.*)$", line)
    return match.group(1).strip() if match else ""


def skip_reason(line: str) -> str | None:
    comment = _comment(line).lower()
    if comment.startswith("network"):
        return "needs the internet (marked '# network' in the docs)"
    if comment.startswith("runs until stopped"):
        return "a server or watcher that runs until stopped"
    if line.startswith(("make ", ". .venv/bin/activate", "source .venv")):
        return "set-up the test suite itself stands on"
    if "../shared" in line and not SHARED_DATA.is_dir():
        return f"needs the shared data ({SHARED_DATA} not found)"
    return None


def expected_status(line: str) -> int:
    match = re.search(r"\bexit (\d)\b", _comment(line))
    return int(match.group(1)) if match else 0


def _option(args: list[str], *names: str) -> str | None:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def check_csv(text: str, where: str) -> None:
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header[:len(ACLED_COLUMNS)]) == tuple(ACLED_COLUMNS), \
        f"{where}: not the ACLED header: {header[:6]}..."
    assert len(text.splitlines()) > 1, f"{where}: a header and no events"


def check_geojson(text: str, where: str) -> None:
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and data["features"], f"{where}: no features"
    for feature in data["features"]:
        assert feature["type"] == "Feature" and "geometry" in feature, where


def check_file(path: Path, where: str) -> None:
    assert path.is_file() and path.stat().st_size > 0, f"{where}: {path.name} not written"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        check_csv(path.read_text(encoding="utf-8"), where)
    elif suffix == ".geojson":
        check_geojson(path.read_text(encoding="utf-8"), where)
    elif suffix == ".png":
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{where}: not a PNG"
    elif suffix == ".jsonl":
        assert all(json.loads(x) for x in path.read_text(encoding="utf-8").splitlines())
    elif suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif suffix == ".gpkg":
        import pyogrio

        assert len(pyogrio.list_layers(path)), f"{where}: a GeoPackage with no layer"
    elif suffix == ".xlsx":
        assert path.read_bytes()[:2] == b"PK", f"{where}: not an xlsx (zip) file"


def check_output(args: list[str], stdout: str, stderr: str, folder: Path, status: int) -> None:
    """Sanity of what one frontlines line printed or wrote."""
    where = "frontlines " + shlex.join(args)
    if status:  # a documented failure: it must say why
        assert stderr.strip(), f"{where}: exit {status} with nothing on stderr"
        return
    command = args[0]
    sub = args[1] if len(args) > 1 and not args[1].startswith("-") else ""
    fmt = _option(args, "--format")
    written = [folder / p for p in (_option(args, "-o", "--output"), _option(args, "--plot"))
               if p and p != "-"]
    for path in written:
        check_file(path, where)
    assert stdout.strip() or stderr.strip() or written, f"{where}: printed nothing"
    if stdout.strip() and not written:
        if fmt == "csv":
            check_csv(stdout, where)
        elif fmt == "geojson":
            check_geojson(stdout, where)
        elif command in ("extract", "geoparse") or (command == "export" and fmt == "jsonl"):
            assert [json.loads(x) for x in stdout.splitlines() if x.strip()], where
    if command in ("control", "alerts"):
        db = _option(args, "--db")
        assert db and f"from {db}" in stderr, f"{where}: the summary must name the store"
        if not written and fmt != "geojson":
            data = json.loads(stdout)
            if "--at" in args and command == "control":
                assert data["areas"] and data["points"], f"{where}: no areas"
            if "--from" in args:
                assert data["changes"] and data["transfers"], f"{where}: no changes"
    if command == "ingest":
        assert "stored:" in stderr or "-q" in args, where
    if command == "gazetteer" and sub == "lookup":
        assert "geonameid" in stdout or stdout.startswith("{"), where
    if command == "settings":
        assert "db" in stdout and "FRONTLINES_DB" in stdout, where
    if command == "eval":
        assert stdout.strip(), f"{where}: no figures"


def run_line(tour: Tour, line: str) -> str | None:
    """Run one documented line; the reason when it is skipped."""
    reason = skip_reason(line)
    if reason:
        return reason
    args = shlex.split(line, comments=True)
    assert args[0] == "frontlines", (
        f"{line!r}: the tour test runs frontlines commands; mark other lines with a comment "
        "it recognises (see this module's docstring)")
    with tour.inside():
        result = CliRunner().invoke(main, args[1:])
    trace = "".join(traceback.format_exception(result.exception)) \
        if result.exception and not isinstance(result.exception, SystemExit) else ""
    assert result.exit_code == expected_status(line), (
        f"{line}\nexit {result.exit_code}\nstdout: {result.stdout[-1500:]}\n"
        f"stderr: {result.stderr[-2500:]}\n{trace}")
    check_output(args[1:], result.stdout, result.stderr, tour.folder, result.exit_code)
    return None


def _lines(block: Block) -> list[str]:
    return [line.strip() for line in block.text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


# -- the tests ------------------------------------------------------------------------------
def test_the_docs_have_blocks_to_run():
    assert len(SH_BLOCKS) >= 3 and len(PY_BLOCKS) >= 2 and TOML_BLOCKS
    tour_text = DOCS[0].read_text(encoding="utf-8").split("## A short tour", 1)[1]
    for line in (ln for b in SH_BLOCKS for ln in _lines(b)):
        if line.startswith(("frontlines control", "frontlines alerts", "frontlines export",
                            "frontlines ingest")):
            assert "--db sqlite:///events.db" in line, f"{line!r} must name the store"
    assert "frontlines settings" in tour_text and "frontlines.toml" in tour_text


@pytest.mark.parametrize("block", SH_BLOCKS, ids=lambda b: b.name)
def test_shell_block_runs_as_written(tour, block):
    skipped = [(line, why) for line in _lines(block) if (why := run_line(tour, line))]
    said = "; ".join(f"{line.split('  #')[0]!r}: {why}" for line, why in skipped)
    if skipped and len(skipped) == len(_lines(block)):
        pytest.skip(said)
    if skipped:  # the others ran: say which did not
        warnings.warn(f"{block.name}: not run: {said}", stacklevel=1)


@pytest.mark.parametrize("block", PY_BLOCKS, ids=lambda b: b.name)
def test_python_block_runs_as_written(tour, block):
    printed = io.StringIO()
    with tour.inside(), contextlib.redirect_stdout(printed):
        exec(compile(block.text, block.name, "exec"), {"__name__": "__readme__"})  # noqa: S102
    assert printed.getvalue().strip(), f"{block.name} printed nothing"


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=lambda b: b.name)
def test_config_file_example_is_read_as_documented(tmp_path, block, monkeypatch):
    """The README's frontlines.toml, written to a folder: every key it sets comes from it."""
    import tomllib

    from frontlines.settings import Settings

    keys = tomllib.loads(block.text)
    assert keys, f"{block.name}: an empty example"
    (tmp_path / "frontlines.toml").write_text(block.text, encoding="utf-8")
    for name in [k for k in os.environ if k.startswith("FRONTLINES_") and k != "FRONTLINES_HOME"]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    for key in keys:
        assert settings.source(key) == f"file {tmp_path / 'frontlines.toml'}", key
