"""Plain progress lines (for logs and pipes) and the ambient reporter the CLI installs."""

from __future__ import annotations

from frontlines.progress import Ticker, ambient, reporting


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_ticker_writes_every_few_seconds_and_once_at_the_end():
    lines: list[str] = []
    clock = _Clock()
    tick = Ticker("gazetteer build", write=lines.append, every=5, clock=clock,
                  announce="building the offline gazetteer (first use only)")
    assert lines == ["building the offline gazetteer (first use only)"]
    tick(10, 1000)
    clock.now += 4.9
    tick(20, 1000)
    assert len(lines) == 1  # nothing before 5 s have passed
    clock.now += 0.2
    tick(30_000, 100_000)
    assert lines[-1] == "gazetteer build: 30,000 of 100,000 (5 s)"
    tick(100_000, 100_000)
    tick(100_000, 100_000)
    assert lines[-1] == "gazetteer build: 100,000 of 100,000 done (5 s)"
    assert len(lines) == 3  # the end once, even when reported twice
    clock.now += 6
    tick(7, None)
    assert lines[-1] == "gazetteer build: 7 (11 s)"


def test_ambient_is_silent_in_a_library_and_heard_under_reporting():
    assert ambient("x", "starting x") is None
    heard: list[tuple[str, str]] = []

    def factory(label: str, announce: str):
        heard.append((label, announce))
        return lambda done, total: None

    with reporting(factory):
        assert callable(ambient("gazetteer build", "building"))
    assert heard == [("gazetteer build", "building")]
    assert ambient("x", "starting x") is None


def test_short_work_prints_nothing():
    lines: list[str] = []
    clock = _Clock()
    tick = Ticker("exposure", write=lines.append, every=5, clock=clock)
    clock.now += 1
    tick(7, 7)
    assert lines == []


def _long_first_use_command():
    """A command doing what the first gazetteer use does: long work nobody asked for."""
    import click

    from frontlines.cli_common import handle_errors

    @click.command()
    @click.option("--quiet", "-q", is_flag=True)
    @handle_errors
    def command(quiet: bool) -> None:
        progress = ambient("gazetteer build", "building the offline gazetteer (first use only)")
        for done in (0, 50, 100):
            if progress:
                progress(done, 100)
        click.echo("result")

    return command


def test_every_command_reports_first_use_work_on_a_non_terminal(monkeypatch):
    from click.testing import CliRunner

    from frontlines import cli_common

    monkeypatch.setattr(cli_common, "PROGRESS_EVERY", 0.0)
    result = CliRunner().invoke(_long_first_use_command(), [])
    assert result.exit_code == 0 and result.stdout == "result\n"
    assert result.stderr.splitlines()[0] == "building the offline gazetteer (first use only)"
    assert "gazetteer build: 100 of 100 done" in result.stderr
    quiet = CliRunner().invoke(_long_first_use_command(), ["-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
