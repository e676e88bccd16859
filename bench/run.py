"""corpuslab benchmark: each step beside the peer a user would otherwise pick, on real corpora.

Usage: python bench/run.py [--mode quick|full] [--corpus PATH.parquet] [--steps dtm,collocations,sentiment,report,scale]

Every measurement runs in a fresh process (time.perf_counter around the step,
peak resident memory from getrusage), and ours and the peer's run one after the
other in the same call, so their ratio holds even when the machine's speed
drifts. Results: bench/results.md and bench/results.json. Timings are never
asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungdc" / "ungdc.parquet"
FALLBACK_CORPUS = ROOT / "data" / "raw" / "ungdc-chn-rus-usa" / "speeches.parquet"


def sample(corpus: Path, fraction: float, folder: Path) -> Path:
    """A reproducible sample of the corpus rows (every k-th speech), as Parquet."""
    table = pd.read_parquet(corpus)
    if fraction < 1:
        step = max(1, round(1 / fraction))
        table = table.iloc[::step]
    path = folder / f"sample-{fraction:g}.parquet"
    table.to_parquet(path, index=False)
    return path


# ------------------------------------------------------------------ single measurements (run in a child)

def measure(step: str, path: str, n_jobs: int) -> dict:
    texts = pd.read_parquet(path)["text"].tolist()
    started = time.perf_counter()
    detail = {}
    if step == "dtm-corpuslab":
        from corpuslab import params, tokens, workflow
        from corpuslab.engine import Engine

        X, terms = tokens.dtm(texts, engine=Engine("local", n_jobs), **workflow.tokenizer(params.validate({})))
        detail = {"n_terms": len(terms), "n_tokens": int(X.sum())}
    elif step == "dtm-sklearn":
        from sklearn.feature_extraction.text import CountVectorizer

        X = CountVectorizer().fit_transform(texts)
        detail = {"n_terms": X.shape[1], "n_tokens": int(X.sum())}
    elif step in ("sentiment-corpuslab", "sentiment-vadersentiment"):
        sentences = _sentences(path)
        started = time.perf_counter()
        if step == "sentiment-corpuslab":
            from corpuslab import sentiment
            from corpuslab.engine import Engine

            sentiment.score_units(sentences, engine=Engine("local", n_jobs))
        else:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            analyzer = SentimentIntensityAnalyzer()
            [analyzer.polarity_scores(t) for t in sentences["text"]]
        detail = {"n_sentences": len(sentences)}
    elif step == "collocations-corpuslab":
        from corpuslab import collocations

        table = collocations.collocations(texts, sizes=(2,), min_count=5)
        detail = {"n_bigrams": len(table)}
    elif step == "collocations-nltk":
        from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

        from corpuslab import tokens

        words = (token for text in texts for run in tokens.token_runs(text) for token in (*run, None))
        finder = BigramCollocationFinder.from_words(words)  # None separates runs, as ours
        finder.apply_ngram_filter(lambda a, b: a is None or b is None)
        finder.apply_freq_filter(5)
        scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
        detail = {"n_bigrams": len(scored)}
    else:
        raise SystemExit(f"unknown step {step}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "n_docs": len(texts), **detail}


def _sentences(path: str) -> pd.DataFrame:
    """The sentences of a sample (cached as Parquet beside it, so both sides read the same units)."""
    cached = Path(path).with_suffix(".sentences.parquet")
    if not cached.exists():
        from corpuslab import segment
        from corpuslab.engine import Engine

        documents = pd.read_parquet(path)[["doc_id", "text"]]
        units = segment.sentences(documents, mode="blank", engine=Engine("local", 0))
        units[["doc_id", "unit_id", "text"]].to_parquet(cached)
    return pd.read_parquet(cached)


def child(step: str, path: Path, n_jobs: int = 1) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", step, "--corpus", str(path), "--jobs", str(n_jobs)],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "POLARS_MAX_THREADS": str(n_jobs),  # "1 core" holds for polars too
                              "CORPUSLAB_CACHE": "off"})  # a step is measured computing, never reading a cached stream
    return json.loads(out.stdout.strip().splitlines()[-1])


REPORT_ARGS: tuple[str, ...] = ()  # the default configuration: a user sets only corpus.path


def report_run(path: Path, reports: Path, engine: str = "local") -> dict:
    """The full report (every notebook) on a table corpus, as a user runs it, in a fresh process.

    Peak memory: the summed PSS of the run's processes, and the largest single process (runner, kernel, worker).
    """
    out = subprocess.run([sys.executable, __file__, "--report", str(path), "--out", str(reports), "--engine", engine],
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def same_tables(run_a: Path, run_b: Path) -> tuple[int, int]:
    """How many of run A's CSV tables run B wrote byte for byte the same, and how many there are."""
    tables = sorted((run_a / "tables").glob("*.csv"))
    same = sum((run_b / "tables" / t.name).exists() and (run_b / "tables" / t.name).read_bytes() == t.read_bytes()
               for t in tables)
    return same, len(tables)


VALIDATION = "from corpuslab import params, workflow; workflow.sentiment_validation(params.from_notebook({}))"
"""The sentiment validation `make setup` computes once, by the current code (a copy in data/processed may be an
older code's, which the report would then compute again)."""


def _report_child(path: str, reports: str, engine: str = "local") -> dict:
    """A first run on this corpus with an empty cache (but the sentiment validation, which set-up computes),
    then a second run of the same report, which reuses the cached tables (cleaned text, sentences, mentions)."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=Path(reports).parent))
    command = [sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", reports,
               "--set", f"corpus.path={path}", "--set", f"engine={engine}", *REPORT_ARGS]
    env = {**os.environ, "CORPUSLAB_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-c", VALIDATION], cwd=ROOT, env=env, check=True)  # as `make setup` does
    first = _measured(command, env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    manifest = Path(reports) / "latest" / "manifest.json"
    first["notebook_seconds"] = {n["name"]: n["seconds"] for n in json.loads(manifest.read_text())["notebooks"]} \
        if first["exit"] == 0 and manifest.exists() else {}
    second = _measured(command, env) if first["exit"] == 0 and engine == "local" else \
        {"seconds": float("nan"), "tree_peak_mb": float("nan")}
    return {**first, "peak_mb": peak_mb, "warm_seconds": second["seconds"], "warm_tree_peak_mb": second["tree_peak_mb"]}


def _measured(command: list[str], env: dict) -> dict:
    """Run ``command``: its seconds, exit status, last error line, and the peak of the summed memory (PSS,
    shared pages counted once) of its whole process tree (runner, kernels, pool and Dask workers), sampled
    twice a second."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    peak = 0.0

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while process.poll() is None:
            total = 0
            with contextlib.suppress(psutil.Error):
                for member in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += member.memory_full_info().pss
            peak = max(peak, total / 2**20)
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    sampler.join()
    error = "" if process.returncode == 0 else (stderr.strip().splitlines() or ["?"])[-1][:300]
    return {"seconds": time.perf_counter() - started, "exit": process.returncode, "tree_peak_mb": peak, "error": error}


SCALE_TARGETS = {"seconds": 300, "tree_peak_mb": 4096}  # the scale issue: <= 5 min, < 4 GB on 2 cores


def scale_run(corpus: Path, tmp: Path) -> dict:
    """The default report (only corpus.path set) on the whole corpus, beside one CountVectorizer pass over the same
    texts measured just before it: the report's time in CountVectorizer passes holds across machines and days."""
    cv = child("dtm-sklearn", corpus)
    report = report_run(corpus, tmp / "reports-scale")
    return {"docs": cv["n_docs"], "countvectorizer_s": cv["seconds"], **report,
            "countvectorizer_passes": report["seconds"] / cv["seconds"]}


def scale_markdown(s: dict) -> list[str]:
    status = "ok" if s["exit"] == 0 else "failed: " + s["error"]
    within = s["exit"] == 0 and s["seconds"] <= SCALE_TARGETS["seconds"] and \
        s["tree_peak_mb"] < SCALE_TARGETS["tree_peak_mb"]
    per_notebook = ", ".join(f"{name} {sec:.0f} s" for name, sec in s.get("notebook_seconds", {}).items())
    return ["", "## Whole corpus, default params (the scale targets: <= 5 min, < 4 GiB on 2 cores)", "",
            f"{s['docs']} documents, only `corpus.path` set, empty cache: **{s['seconds']:.0f} s** "
            f"({s['countvectorizer_passes']:.1f} CountVectorizer passes of {s['countvectorizer_s']:.1f} s measured "
            f"just before), peak **{s['tree_peak_mb']:.0f} MiB** summed PSS of all processes ({s['peak_mb']:.0f} MiB "
            f"largest process); second run (cached tables) {s['warm_seconds']:.0f} s; {status}; "
            f"{'within' if within else 'NOT within'} the targets on this machine.", "",
            f"Per notebook (first run): {per_notebook}."]


def growth_exponent(sizes: list[float], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size): 1 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["quick", "full"], default="quick")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS if DEFAULT_CORPUS.exists() else FALLBACK_CORPUS))
    parser.add_argument("--measure", default=None)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--report", default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--steps", default="dtm,collocations,sentiment,report,scale",
                        help="comma-separated subset of dtm, collocations, sentiment, report, scale")
    args = parser.parse_args()
    if args.report:
        print(json.dumps(_report_child(args.report, args.out, args.engine)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.jobs)))
        return

    corpus = Path(args.corpus)
    steps = set(args.steps.split(","))
    fractions = [0.01, 0.1] if args.mode == "quick" else [0.01, 0.1, 1.0]
    step_fraction = 0.1 if args.mode == "quick" else 1.0
    rows, growth = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = sample(corpus, step_fraction, tmp)
        pairs = [("dtm", "DTM", "scikit-learn CountVectorizer", "dtm-corpuslab", "dtm-sklearn"),
                 ("collocations", "collocations (bigrams, G², count ≥ 5)", "NLTK BigramCollocationFinder",
                  "collocations-corpuslab", "collocations-nltk"),
                 ("sentiment", "sentiment, VADER per sentence", "vaderSentiment (reference)",
                  "sentiment-corpuslab", "sentiment-vadersentiment")]
        for key, label, peer_name, ours_step, peer_step in pairs:
            if key not in steps:
                continue
            if key == "sentiment":
                _sentences(str(data))
            peer = child(peer_step, data)
            for jobs in ((1,) if key == "collocations" else (1, 2)):
                ours = child(ours_step, data, jobs)
                rows.append({"step": f"{label} ({jobs} core{'s' if jobs > 1 else ''})", "peer": peer_name,
                             "docs": ours["n_docs"], "ours_s": ours["seconds"], "peer_s": peer["seconds"],
                             "speedup": peer["seconds"] / ours["seconds"], "ours_peak_mb": ours["peak_mb"],
                             "peer_peak_mb": peer["peak_mb"], **{k: v for k, v in ours.items() if k.startswith("n_")}})
        for fraction in fractions if "report" in steps else []:
            path = sample(corpus, fraction, tmp)
            result = report_run(path, tmp / f"reports-{fraction:g}")
            growth.append({"fraction": fraction, "docs": len(pd.read_parquet(path)), "engine": "local", **result})
        if "report" in steps:  # the same report on a Dask LocalCluster of 2 workers, tables compared with local's
            path = sample(corpus, step_fraction, tmp)
            result = report_run(path, tmp / "reports-dask", engine="dask")
            same, n_tables = same_tables(tmp / f"reports-{step_fraction:g}" / "latest", tmp / "reports-dask" / "latest")
            dask_run = {"fraction": step_fraction, "docs": len(pd.read_parquet(path)), "engine": "dask",
                        "same_tables": same, "n_tables": n_tables, **result}
        scale = scale_run(corpus, tmp) if "scale" in steps else None
    finished = [g for g in growth if g["exit"] == 0]
    exponent = {"time": growth_exponent([g["docs"] for g in finished], [g["seconds"] for g in finished]),
                "memory": growth_exponent([g["docs"] for g in finished], [g["peak_mb"] for g in finished])} \
        if len(finished) >= 2 else {}
    results = {"mode": args.mode, "corpus": corpus.name, "python": platform.python_version(),
               "machine": platform.platform(), "steps": rows, "full_report": growth, "growth_exponent": exponent,
               "dask_report": dask_run if "report" in steps else None, "scale": scale}
    results = merged_with_earlier(results, steps)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (ROOT / "bench" / "results.md").write_text(to_markdown(results), encoding="utf-8")
    print(to_markdown(results))


def merged_with_earlier(results: dict, steps: set[str]) -> dict:
    """Keep the earlier results (same mode and corpus) of the steps this call did not run."""
    path = ROOT / "bench" / "results.json"
    if not path.exists():
        return results
    earlier = json.loads(path.read_text(encoding="utf-8"))
    if steps == {"scale"} and earlier.get("corpus") == results["corpus"]:  # the whole corpus in either mode
        return {**earlier, "scale": results["scale"]}
    if (earlier.get("mode"), earlier.get("corpus")) != (results["mode"], results["corpus"]):
        return results
    measured = {row["step"].split(" (")[0] for row in results["steps"]}
    kept = [row for row in earlier.get("steps", []) if row["step"].split(" (")[0] not in measured]
    results["steps"] = kept + results["steps"]
    if "report" not in steps:
        results["full_report"] = earlier.get("full_report", [])
        results["growth_exponent"] = earlier.get("growth_exponent", {})
        results["dask_report"] = earlier.get("dask_report")
    if "scale" not in steps:
        results["scale"] = earlier.get("scale")
    return results


def to_markdown(results: dict) -> str:
    lines = [f"# Benchmark ({results['mode']} mode, {results['corpus']})", "",
             f"{results['machine']}, Python {results['python']}. Ratios are peer time / corpuslab time "
             "(above 1: corpuslab is faster).", "",
             "| step | docs | corpuslab s | peer | peer s | speed-up | corpuslab peak MB | peer peak MB |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results["steps"]:
        lines.append(f"| {r['step']} | {r['docs']} | {r['ours_s']:.2f} | {r['peer']} | {r['peer_s']:.2f} | "
                     f"{r['speedup']:.2f}× | {r['ours_peak_mb']:.0f} | {r['peer_peak_mb']:.0f} |")
    lines += ["", "Topic-model methods (k = 20, fit time and NPMI): `results_topics.md`."]
    if not results["full_report"]:
        return "\n".join(lines + (scale_markdown(results["scale"]) if results.get("scale") else [])) + "\n"
    lines += ["", "## Full report (all notebooks) by corpus size", "",
              "Default params (only corpus.path set: paragraphs re-flowed by segment.paragraphs=auto, topics on "
              "paragraphs). First run: empty cache. Second run: the same report again, reusing the cached tables. "
              "Memory: the "
              "peak of the summed PSS of every process of the run (runner, kernels, pool workers; MiB), and the "
              "largest single process (MiB).", "",
              "| fraction | docs | first run s | second run s | peak MiB, all processes | peak MiB, largest process "
              "| status |", "|---|---|---|---|---|---|---|"]
    for g in results["full_report"]:
        peak = f"{g['peak_mb']:.0f}" if g["peak_mb"] else "?"
        status = "ok" if g["exit"] == 0 else "failed: " + g["error"]
        lines.append(f"| {g['fraction']:g} | {g['docs']} | {g['seconds']:.1f} | "
                     f"{g.get('warm_seconds', math.nan):.1f} | {g.get('tree_peak_mb', math.nan):.0f} | "
                     f"{peak} | {status} |")
    if results["growth_exponent"]:
        e = results["growth_exponent"]
        lines += ["", f"Growth exponent (log-log slope over documents): time {e['time']:.2f}, memory {e['memory']:.2f} "
                  "(1.0 = linear)."]
    d = results.get("dask_report")
    if d:
        status = "ok" if d["exit"] == 0 else "failed: " + d["error"]
        lines += ["", f"Dask engine (LocalCluster of 2 workers on 127.0.0.1), {d['docs']} docs: {d['seconds']:.1f} s, "
                  f"peak {d.get('tree_peak_mb', math.nan):.0f} MiB all processes ({d['peak_mb']:.0f} MiB largest), "
                  f"{status}; {d['same_tables']} of {d['n_tables']} CSV tables byte-identical to the local engine's."]
    if results.get("scale"):
        lines += scale_markdown(results["scale"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
