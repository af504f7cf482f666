"""Scale: end-to-end rate against plain ``nlp.pipe``, Ray 1 vs 2 workers (and their output
against the local engine's), memory and time over archives of 10k to 1M articles, and the
GeoNames ``allCountries`` import. Printed with their methods; never asserted.

    python -m benchmarks bench_scale                  # everything, default sizes
    python -m benchmarks.bench_scale ray [N]          # one part: rate, ray, memory, geonames

Archives are generated (``benchmarks/corpus.py`` reports, each made distinct by a
reference number) and written as JSON Lines; every timed run is a fresh process or a fresh
Ray, so no cache of an earlier part helps a later one. Peak memory is the process's
``ru_maxrss``; a slope is fitted to resident memory sampled as the run goes. Figures that
are extrapolated say so. Other sessions may be loading the CPU: the load average at the
start of each part is printed beside it.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _harness as h

REPO = Path(__file__).resolve().parents[1]
_RESULT = "@@scale-result "
ALL_COUNTRIES_ROWS = 13_000_000  # GeoNames allCountries.txt, about 13 million rows (2024)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


# -- archives ---------------------------------------------------------------------------------
def write_archive(path: Path, n: int, *, seed: int = 14, base: int = 2000) -> Path:
    """``n`` distinct generated articles as JSON Lines (gzip'd if ``path`` ends in .gz)."""
    from benchmarks import corpus

    bases = corpus.articles(min(n, base), seed=seed)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for k in range(n):
            a = bases[k % len(bases)]
            text = a.text if k < len(bases) else f"{a.text} Reference {k}."
            fh.write(json.dumps({"id": f"scale-{k:07d}", "title": a.title, "text": text,
                                 "published": str(a.published_date), "source": a.source})
                     + "\n")
    return path


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _slope(samples: list[tuple[int, float]]) -> float:
    """Least-squares MB per 1,000 articles over the second half of the samples."""
    tail = samples[len(samples) // 2:]
    if len(tail) < 2:
        return 0.0
    xs, ys = [s[0] / 1000 for s in tail], [s[1] for s in tail]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


# -- a fresh process for each measured run ------------------------------------------------------
def _child(spec: dict) -> dict:
    """In a fresh process: ingest ``spec['archive']`` into a new SQLite db, sampling memory."""
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    settings = Settings(db=f"sqlite:///{spec['db']}")
    if spec["pipeline"] == "model-free":
        import spacy

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")

        class NoPlaces:
            def geoparse_doc(self, doc, *, article):
                return ()

        class NoEvents:
            def extract(self, article, doc, toponyms):
                return ()

        fl = Frontlines(settings, nlp=nlp, geoparser=NoPlaces(), extractor=NoEvents())
    else:
        fl = Frontlines(settings)
        fl.nlp, fl.geoparser, fl.extractor  # noqa: B018 - loaded before timing
    samples: list[tuple[int, float]] = []
    every = int(spec["sample_every"])

    def progress(done: int, total: int | None) -> None:
        if done % every == 0:
            samples.append((done, _rss_mb()))

    start_rss = _rss_mb()
    started = time.perf_counter()
    stats, report = fl.ingest([spec["archive"]], progress=progress, resume=True)
    seconds = time.perf_counter() - started
    return {"articles": report.articles_processed, "stored": stats.articles_new,
            "seconds": seconds, "peak_mb": _peak_mb(), "start_mb": start_rss,
            "samples": samples}


def _geonames_child(spec: dict) -> dict:
    from frontlines.gazetteer import build_index

    started = time.perf_counter()
    build_index(spec["target"], sources=[spec["dump"]])
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def _run_child(kind: str, spec: dict) -> dict:
    path = Path(tempfile.mkstemp(prefix="frontlines-scale-", suffix=".json")[1])
    path.write_text(json.dumps({"kind": kind, **spec}), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", "_child",
                               str(path)], cwd=REPO, text=True, capture_output=True,
                              check=False)
    finally:
        path.unlink()
    for line in done.stdout.splitlines():
        if line.startswith(_RESULT):
            return json.loads(line[len(_RESULT):])
    raise RuntimeError(f"scale worker failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


# -- parts --------------------------------------------------------------------------------------
def rate(timed: int = 300, warm: int = 60) -> dict:
    """End-to-end (local engine) articles/s and its time over plain nlp.pipe, same run."""
    print(f"   [{_load()}]", flush=True)
    data = h.generated(warm=warm, timed=timed, runs=1, seed=1414)
    run = h.run_worker(warm=data.warm, timed=data.timed)["runs"][0]
    ratio = run["end_to_end_s"] / run["plain_nlp_pipe_s"]
    method = (f"{timed} unseen generated reports after {warm} warm-up, one fresh process; "
              "plain = nlp.pipe of the same model over the same texts, same process")
    h.show("end-to-end (local engine)", f"{run['articles'] / run['end_to_end_s']:.1f} art/s",
           method)
    h.show("plain nlp.pipe", f"{run['articles'] / run['plain_nlp_pipe_s']:.1f} art/s", method)
    h.show("end-to-end / nlp.pipe time", f"{ratio:.2f}x",
           f"geoparse {run['geoparse_s']:.1f} s, events {run['extract_s']:.1f} s, nlp and "
           f"the rest {run['nlp_s']:.1f} s")
    return {"articles": run["articles"], "end_to_end_per_s": run["articles"] / run["end_to_end_s"],
            "nlp_pipe_per_s": run["articles"] / run["plain_nlp_pipe_s"],
            "end_to_end_over_nlp_pipe": ratio, "load": _load()}


def ray(n: int = 1000, workers: tuple[int, ...] = (1, 2)) -> dict:
    """Local engine, then Ray with each number of workers, on one archive of ``n``
    articles; every Ray output compared with the local one, analysis by analysis."""
    from frontlines.engine import RayEngine
    from frontlines.pipeline import Frontlines, RunReport

    out: dict = {"articles": n, "load": _load()}
    print(f"   [{out['load']}]", flush=True)
    with tempfile.TemporaryDirectory(prefix="frontlines-scale-") as tmp:
        archive = write_archive(Path(tmp) / "archive.jsonl", n)
        started = time.perf_counter()
        local = [json.dumps(a.to_dict(), sort_keys=True, default=str)
                 for a in Frontlines().extract([archive]).analyses]
        local_s = time.perf_counter() - started
        out["local_per_s"] = n / local_s
        h.show("local engine", f"{n / local_s:.1f} art/s",
               f"{n} generated articles, one process, loading the model included")
        for count in workers:
            engine = RayEngine(workers=count)
            engine._start()  # a running Ray: its start-up is not the engine's throughput
            first = last = None
            remote: list[str] = []
            started = time.perf_counter()
            try:
                for analysis in Frontlines().iter_extract([archive], report=RunReport(),
                                                          engine=engine):
                    last = time.perf_counter()
                    first = first or last
                    remote.append(json.dumps(analysis.to_dict(), sort_keys=True, default=str))
            finally:
                engine.close()
            total = time.perf_counter() - started
            steady = (len(remote) - 1) / (last - first) if first and last and last > first else 0
            same = sum(a == b for a, b in zip(remote, local, strict=False))
            out[f"ray{count}_per_s"] = n / total
            out[f"ray{count}_steady_per_s"] = steady
            out[f"ray{count}_identical"] = f"{same} of {len(local)}"
            h.show(f"ray, {count} worker(s)", f"{n / total:.1f} art/s",
                   f"{n} articles, wall time from the first batch sent (actors load the model "
                   f"inside it) to the last result; after the first result: {steady:.1f} art/s "
                   "(indicative only: ordered results arrive in bursts)")
            h.show(f"ray, {count} worker(s): same as local", f"{same} of {len(local)}",
                   "analyses (article, toponyms, events) equal as JSON, in order")
    if "ray1_per_s" in out and "ray2_per_s" in out:
        out["ray2_over_ray1"] = out["ray2_per_s"] / out["ray1_per_s"]
        out["ray2_over_ray1_steady"] = (out["ray2_steady_per_s"] / out["ray1_steady_per_s"]
                                        if out["ray1_steady_per_s"] else 0.0)
        h.show("ray 2 workers / 1 worker", f"{out['ray2_over_ray1']:.2f}x",
               f"wall time; after the first result {out['ray2_over_ray1_steady']:.2f}x; "
               f"{out['load']}")
    return out


def memory(sizes: tuple[int, ...] = (10_000, 100_000), full: int = 1500,
           every: int = 250) -> dict:
    """Peak memory and time of ``ingest`` over archives of each size (model-free pipeline:
    reading, engine and store), the real pipeline's memory slope over ``full`` articles,
    and 1M extrapolated from the measured slopes."""
    out: dict = {"load": _load()}
    print(f"   [{out['load']}]", flush=True)
    with tempfile.TemporaryDirectory(prefix="frontlines-scale-") as tmp:
        for n in sizes:
            archive = write_archive(Path(tmp) / f"a{n}.jsonl.gz", n)
            got = _run_child("ingest", {"archive": str(archive), "db": f"{tmp}/m{n}.db",
                                        "pipeline": "model-free",
                                        "sample_every": max(every, n // 40)})
            out[f"model_free_{n}"] = got
            h.show(f"ingest {n:,} articles, model-free", f"{got['peak_mb']:.0f} MB peak",
                   f"{got['seconds']:.0f} s ({got['articles'] / got['seconds']:.0f} art/s); "
                   f"resident {got['samples'][0][1]:.0f} MB at {got['samples'][0][0]:,} -> "
                   f"{got['samples'][-1][1]:.0f} MB at {got['samples'][-1][0]:,}; .jsonl.gz "
                   "into a new SQLite, spacy.blank + sentencizer, no places or events")
        if len(sizes) >= 2:
            small, big = out[f"model_free_{sizes[0]}"], out[f"model_free_{sizes[-1]}"]
            growth = big["peak_mb"] / small["peak_mb"] - 1
            out["model_free_peak_growth"] = growth
            per_k = (big["peak_mb"] - small["peak_mb"]) / ((sizes[-1] - sizes[0]) / 1000)
            rate_ = big["articles"] / big["seconds"]
            out["model_free_1m_extrapolated"] = {
                "peak_mb": big["peak_mb"] + max(0.0, per_k) * (1_000_000 - sizes[-1]) / 1000,
                "seconds": 1_000_000 / rate_}
            h.show(f"peak growth {sizes[0]:,} -> {sizes[-1]:,}", f"{growth * 100:+.1f}%",
                   "model-free ingest, measured")
            x = out["model_free_1m_extrapolated"]
            h.show("1,000,000 articles, model-free", f"{x['peak_mb']:.0f} MB peak",
                   f"EXTRAPOLATED from the {sizes[0]:,} and {sizes[-1]:,} runs "
                   f"({per_k:+.3f} MB per 1k articles, never below the measured peak); time {x['seconds'] / 60:.0f} min at "
                   f"{rate_:.0f} art/s")
        if not full:
            return out
        archive = write_archive(Path(tmp) / "full.jsonl.gz", full)
        got = _run_child("ingest", {"archive": str(archive), "db": f"{tmp}/full.db",
                                    "pipeline": "full", "sample_every": every})
        out["full"] = got
        slope = _slope([tuple(s) for s in got["samples"]])
        per_s = got["articles"] / got["seconds"]
        out["full_slope_mb_per_1k"] = slope
        h.show(f"ingest {full:,} articles, full pipeline", f"{got['peak_mb']:.0f} MB peak",
               f"{got['seconds']:.0f} s ({per_s:.1f} art/s), one process, local engine; "
               f"resident memory slope over the second half {slope:+.2f} MB per 1k articles")
        for n in (10_000, 100_000, 1_000_000):
            mb = got["peak_mb"] + max(0.0, slope) * (n - full) / 1000
            out[f"full_{n}_extrapolated"] = {"peak_mb": mb, "seconds": n / per_s}
            h.show(f"{n:,} articles, full pipeline", f"{mb:.0f} MB peak",
                   f"EXTRAPOLATED from the {full:,}-article run: {n / per_s / 3600:.1f} h on "
                   "one core at its rate; memory from its slope (never below the measured peak)")
    return out


def _geonames_rows(path: Path, n: int, *, seed: int = 7) -> Path:
    """``n`` rows in GeoNames' 19-column format, made from the real LB.txt rows (or our
    test slice) with new ids, shifted coordinates and names made distinct."""
    sources = [Path(os.environ.get("FRONTLINES_SHARED_DATA", REPO.parent / "shared" / "data"))
               / "gazetteer" / "geonames-lb-2016" / "LB.txt",
               REPO / "tests" / "fixtures" / "gazetteer" / "levant_slice.txt"]
    template = next(p for p in sources if p.exists())
    rows = [line.rstrip("\n").split("\t") for line in
            template.read_text(encoding="utf-8").splitlines() if line and not line[0] == "#"]
    rows = [r for r in rows if len(r) == 19]
    rng = random.Random(seed)
    countries = ["LB", "SY", "IQ", "JO", "TR", "EG", "YE", "UA", "NG", "ML", "SO", "AF"]
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            r = list(rows[k % len(rows)])
            r[0] = str(20_000_000 + k)
            suffix = f" {k // len(rows)}" if k >= len(rows) else ""
            r[1], r[2] = r[1] + suffix, r[2] + suffix
            r[4] = f"{max(-89.0, min(89.0, float(r[4]) + rng.uniform(-20, 20))):.5f}"
            r[5] = f"{((float(r[5]) + rng.uniform(-60, 60) + 180) % 360) - 180:.5f}"
            r[8] = rng.choice(countries)
            fh.write("\t".join(r) + "\n")
    return path


def geonames(sizes: tuple[int, ...] = (50_000, 200_000)) -> dict:
    """``build_index`` time and peak memory on generated rows; allCountries extrapolated."""
    out: dict = {"load": _load()}
    print(f"   [{out['load']}]", flush=True)
    with tempfile.TemporaryDirectory(prefix="frontlines-scale-") as tmp:
        for n in sizes:
            dump = _geonames_rows(Path(tmp) / f"rows{n}.txt", n)
            got = _run_child("geonames", {"dump": str(dump), "target": f"{tmp}/g{n}.sqlite"})
            out[f"rows_{n}"] = got
            h.show(f"GeoNames import, {n:,} rows", f"{got['seconds']:.1f} s",
                   f"{n / got['seconds']:,.0f} rows/s, {got['peak_mb']:.0f} MB peak; generated "
                   "rows in the real 19-column format (real LB.txt rows, new ids, moved)")
    small, big = out[f"rows_{sizes[0]}"], out[f"rows_{sizes[-1]}"]
    per_row = (big["seconds"] - small["seconds"]) / (sizes[-1] - sizes[0])
    mb_per_m = (big["peak_mb"] - small["peak_mb"]) / ((sizes[-1] - sizes[0]) / 1e6)
    seconds = big["seconds"] + per_row * (ALL_COUNTRIES_ROWS - sizes[-1])
    peak = big["peak_mb"] + max(0.0, mb_per_m) * (ALL_COUNTRIES_ROWS - sizes[-1]) / 1e6
    out["all_countries_extrapolated"] = {"seconds": seconds, "peak_mb": peak}
    h.show("allCountries (~13M rows)", f"{seconds / 60:.0f} min",
           f"EXTRAPOLATED linearly from the two runs; peak memory {peak:.0f} MB "
           f"({mb_per_m:+.1f} MB per million rows); the real file was absent")
    return out


def run() -> dict:
    return {"rate": rate(), "ray": ray(), "memory": memory(), "geonames": geonames()}


if __name__ == "__main__":
    if sys.argv[1:2] == ["_child"]:
        spec = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        result = _geonames_child(spec) if spec["kind"] == "geonames" else _child(spec)
        print(_RESULT + json.dumps(result), flush=True)
        sys.exit(0)
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    sizes = [int(a) for a in sys.argv[2:]]
    if part == "all":
        print(json.dumps(run(), indent=2, default=str))
    elif part == "rate":
        print(json.dumps(rate(*sizes), indent=2))
    elif part == "ray":
        print(json.dumps(ray(*sizes), indent=2))
    elif part == "memory":
        print(json.dumps(memory(tuple(sizes) or (10_000, 100_000)), indent=2))
    elif part == "geonames":
        print(json.dumps(geonames(tuple(sizes) or (50_000, 200_000)), indent=2))
    else:
        sys.exit(f"unknown part {part!r}; choose all, rate, ray, memory or geonames")
