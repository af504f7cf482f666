"""Cost per character of one long input (issue #13): is it linear in the input's length?

Each size runs in a fresh worker process (``python -m benchmarks.bench_limits SPEC``), which
loads the pipeline, analyses one short warm-up article, resets the kernel's peak-RSS mark
(``/proc/self/clear_refs``) and then times one input end to end:

* **text**: one ``.txt`` report of N characters (10k, 100k, 200k, 1M by default), made of
  unseen generated conflict reports (``benchmarks/corpus.py``) joined as paragraphs, read,
  parsed (in sections of ``nlp_section_chars``), geoparsed and coded into events;
* **html**: one web page of N bytes (the same paragraphs in ``<p>``, with menus, links and
  boilerplate between them), through the reader only (extraction); a page over ``max_html_mb``
  is refused by the reader (a 30 MB page by default), and that refusal is timed too.

Printed per input: seconds, microseconds per character, peak memory above the warmed-up
process (MiB) and bytes per character. Figures are printed, never asserted.
``python -m benchmarks bench_limits``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXT_SIZES = (10_000, 100_000, 200_000, 1_000_000)
HTML_SIZES = (500_000, 1_000_000, 2_000_000, 4_000_000, 30_000_000)
_RESULT = "@@bench-limits "


def _paragraphs(chars: int, *, seed: int) -> list[str]:
    """Generated reports, one per paragraph, at least ``chars`` characters in all."""
    from benchmarks import corpus

    out: list[str] = []
    total = 0
    batch = 0
    while total < chars:
        for article in corpus.articles(400, seed=seed + batch):
            out.append(article.text)
            total += len(article.text) + 2
            if total >= chars:
                break
        batch += 1
    return out


def _text_file(folder: Path, chars: int) -> Path:
    body = "\n\n".join(_paragraphs(chars, seed=9000 + chars % 997))[:chars]
    path = folder / f"long-{chars}.txt"
    path.write_text(f"Digest of {chars:,} characters\nPublished: 2017-08-19\n\n{body}\n",
                    encoding="utf-8")
    return path


def _html_file(folder: Path, size: int) -> Path:
    chrome = ('<div class="share"><a href="/s">Share</a> <a href="/t">Tweet</a></div>'
              '<aside class="related"><ul><li><a href="/r1">Related story</a></li></ul></aside>')
    parts: list[str] = []
    total = 0
    seed = 7000
    while total < size:
        for paragraph in _paragraphs(200_000, seed=seed):
            block = f'<div class="section"><p>{paragraph}</p>{chrome}</div>\n'
            parts.append(block)
            total += len(block.encode())
            if total >= size:
                break
        seed += 1
    page = ("<!doctype html><html><head><meta charset=utf-8><title>Long page</title>"
            '<meta property="article:published_time" content="2017-08-19"></head><body>'
            '<nav><a href="/">Home</a></nav><article><h1>Long page</h1>'
            + "".join(parts) + "</article><footer>Footer</footer></body></html>")
    path = folder / f"page-{size}.html"
    path.write_bytes(page.encode()[: max(size, 200)])
    return path


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _work(spec: dict) -> dict:
    """In the worker: time one input of ``spec['kind']`` and ``spec['size']``."""
    from frontlines.ingest import IngestReport, read_articles
    from frontlines.model import Article
    from frontlines.pipeline import Frontlines, RunReport

    folder = Path(spec["folder"])
    kind, size = spec["kind"], spec["size"]
    path = _text_file(folder, size) if kind == "text" else _html_file(folder, size)
    fl = Frontlines()
    if kind == "text":
        warm = Article.make(text="Clashes near Arsal killed two soldiers on Monday, the army "
                                 "said.", title="Warm-up", published=None)
        list(fl.analyse([warm], report=RunReport()))  # model, gazetteer and caches loaded
    else:
        list(read_articles([_html_file(folder, 20_000)], report=IngestReport()))
    baseline = _rss_kib("VmRSS")
    exact = _reset_peak()
    report = IngestReport()
    started = time.perf_counter()
    articles = list(read_articles([path], report=report))
    chars = sum(len(a.full_text) for a in articles)
    events = toponyms = 0
    if kind == "text":
        for analysis in fl.analyse(articles, report=RunReport()):
            events += len(analysis.events)
            toponyms += len(analysis.toponyms)
    seconds = time.perf_counter() - started
    peak = _rss_kib("VmHWM") if exact else _rss_kib("VmRSS")
    return {"kind": kind, "size": size, "input_bytes": path.stat().st_size,
            "article_chars": chars, "seconds": round(seconds, 3),
            "peak_extra_mib": round(max(0, peak - baseline) / 1024, 1),
            "baseline_mib": round(baseline / 1024, 1), "toponyms": toponyms, "events": events,
            "refused": [f"{p.code}: {p.message[:90]}" for p in report.problems],
            "peak_exact": exact}


def _worker(spec: dict) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_limits", json.dumps(spec)],
                          capture_output=True, text=True, cwd=REPO, env=env, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(_RESULT):
            return json.loads(line[len(_RESULT):])
    raise RuntimeError(f"worker failed ({done.returncode}): {done.stderr[-2000:]}")


def _line(result: dict) -> str:
    size = result["size"]
    text = result["kind"] == "text"
    chars = result["article_chars"] if text else result["input_bytes"]
    unit = "chars" if text else "bytes"
    per_char = 1e6 * result["seconds"] / max(chars, 1)
    per_byte_mem = result["peak_extra_mib"] * 2**20 / max(chars, 1)
    refused = f"  refused: {result['refused'][0]}" if result["refused"] else ""
    found = (f"  {result['toponyms']} toponyms, {result['events']} events"
             if text else "")
    return (f"   {result['kind']:<5} {size:>11,} {unit:<5} {result['seconds']:>8.2f} s "
            f"{per_char:>8.1f} µs/{unit[:-1]:<4} {result['peak_extra_mib']:>7.1f} MiB peak "
            f"{per_byte_mem:>7.1f} B/{unit[:-1]}{found}{refused}")


def run(sizes: tuple[int, ...] = TEXT_SIZES, html_sizes: tuple[int, ...] = HTML_SIZES) -> dict:
    """Time and peak memory per character for each input size; prints one line each."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as folder:
        for kind, values in (("text", sizes), ("html", html_sizes)):
            for size in values:
                result = _worker({"kind": kind, "size": size, "folder": folder})
                results.append(result)
                print(_line(result), flush=True)
    method = ("one input per fresh process after a warm-up article; seconds: read + NLP + "
              "places + events (text) or read and extract (html); peak: kernel peak RSS "
              "above the warmed-up process; per char: over the article's characters (text) "
              "or the page's bytes (html)")
    print(f"   method: {method}")
    return {"inputs": results, "method": method}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("{"):
        print(_RESULT + json.dumps(_work(json.loads(sys.argv[1]))), flush=True)
    else:
        run()
