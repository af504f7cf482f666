"""Map page speed in headless Chromium on the demo store (examples/ ingested by the real pipeline).

Figures (median, min and max over ``runs`` loads):

* **cold load**: a fresh browser context (empty cache) navigates to ``/`` and waits until the
  page reports the map idle with the newest day's events, control areas and alerts drawn
  (``window.frontlines.ready``): wall time seen by the test driver, and the page's own
  ``performance.now()`` at that moment (ms since navigation start).
* **warm load**: the same, reloading in one context (vendored MapLibre, tiles and outlines from
  the browser cache; /control and /alerts answered from the server's cache after the first).
* **day step**: the slider moved to a day not shown before (each step a new day, so /control
  and /alerts are computed, not cached), until the map is idle with that day drawn.

Chromium is Debian's, WebGL on SwiftShader (software), on this machine's shared CPUs: a GPU
desktop browser is faster. ``python -m benchmarks bench_map``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
INITIAL = EXAMPLES / ".maps" / "lebanon-syria-border-2017-07.csv"


def _summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1), "n": len(values)}


def _demo_settings(home: Path):
    from frontlines.settings import Settings

    gazetteer = Path(Settings().gazetteer).expanduser()  # reuse the user's built index
    overrides = {"gazetteer": str(gazetteer)} if gazetteer.exists() else {}
    return Settings(home=str(home), db=f"sqlite:///{home / 'demo.db'}", **overrides)


def _cold(browser, url: str, runs: int) -> tuple[list[float], list[float], dict]:
    from frontlines.web.live import wait_until_ready

    wall, in_page, loaded = [], [], {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        loaded = wait_until_ready(page)
        wall.append((time.perf_counter() - started) * 1000)
        in_page.append(loaded["ready_ms"])
        context.close()
    return wall, in_page, loaded


def _warm(browser, url: str, runs: int) -> list[float]:
    from frontlines.web.live import wait_until_ready

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    wait_until_ready(page)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        page.reload()
        wait_until_ready(page)
        times.append((time.perf_counter() - started) * 1000)
    context.close()
    return times


def _day_steps(browser, url: str, steps: int) -> list[float]:
    from frontlines.web.live import wait_until_ready

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    wait_until_ready(page)
    days = page.evaluate("window.frontlines.days.map(d => d.date)")
    # spread over the slider, never the day already shown (the newest)
    picks = [days[i * (len(days) - 1) // max(1, steps)] for i in range(steps)]
    times = []
    for day in dict.fromkeys(picks):
        started = time.perf_counter()
        page.evaluate("""i => { const s = document.getElementById('day');
            s.value = String(i); s.dispatchEvent(new Event('input')); }""", days.index(day))
        page.wait_for_function("d => window.frontlines.loaded.day === d", arg=day,
                               timeout=60_000)
        times.append((time.perf_counter() - started) * 1000)
    context.close()
    return times


def run(runs: int = 5, steps: int = 8) -> dict:
    from frontlines.pipeline import Frontlines
    from frontlines.server.app import create_app
    from frontlines.web.live import chromium, serve_in_thread

    with tempfile.TemporaryDirectory() as tmp:
        settings = _demo_settings(Path(tmp))
        started = time.perf_counter()
        Frontlines(settings).ingest([EXAMPLES])
        ingest_s = time.perf_counter() - started
        app = create_app(settings, initial=str(INITIAL))
        with serve_in_thread(app) as url, chromium() as browser:
            wall, in_page, loaded = _cold(browser, url + "/", runs)
            warm = _warm(browser, url + "/", runs)
            step = _day_steps(browser, url + "/", steps)
    figures = {
        "cold_load_ms": _summary(wall),
        "cold_load_in_page_ms": _summary(in_page),
        "warm_reload_ms": _summary(warm),
        "day_step_ms": _summary(step),
        "drawn": {k: loaded.get(k) for k in ("day", "events", "control", "alerts")},
        "demo_ingest_s": round(ingest_s, 1),
        "method": ("headless Debian Chromium (SwiftShader WebGL) via Playwright, uvicorn on "
                   "127.0.0.1, SQLite store of examples/ with the example initial map; time "
                   "from navigation until window.frontlines.ready (map idle, newest day's "
                   "events, control and alerts drawn); cold = new context per load, warm = "
                   "reload in one context, day step = slider to a day not shown before"),
    }
    for name in ("cold_load_ms", "cold_load_in_page_ms", "warm_reload_ms", "day_step_ms"):
        s = figures[name]
        print(f"   {name:22s} median {s['median']:8.1f}  min {s['min']:8.1f}  "
              f"max {s['max']:8.1f}  (n={s['n']})", flush=True)
    print(f"   drawn on load: {figures['drawn']}", flush=True)
    print(f"   method: {figures['method']}", flush=True)
    return figures


if __name__ == "__main__":
    run()
