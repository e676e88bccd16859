"""Wordfish measured: recovery of known positions and coverage of its intervals on counts simulated from its own
model, and the time of the 05_scaling steps on a sample of the UN General Debate corpus.

Usage: python bench/scaling.py [--simulations 200] [--fraction 0.1] [--corpus PATH.parquet]
Writes bench/results_scaling.md. Run the timing on a quiet machine (CPU seconds, summed over threads, are given beside
wall-clock ones, which a busy machine inflates); timings are never asserted in tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpuslab import params, scaling, tokens, workflow  # noqa: E402
from corpuslab.engine import Engine  # noqa: E402
from run import DEFAULT_CORPUS, FALLBACK_CORPUS, sample  # noqa: E402


def simulate(rng, n_texts: int, n_words: int):
    """Wordfish's own model: θ standard normal (standardised), α ~ N(0, 0.3), ψ ~ N(0, 1), β ~ N(0, 0.5)."""
    theta = rng.normal(size=n_texts)
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha, psi, beta = rng.normal(0, 0.3, n_texts), rng.normal(0, 1, n_words), rng.normal(0, 0.5, n_words)
    return theta, np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))


def recovery(n_simulations: int, n_texts: int = 50, n_words: int = 500, seed: int = 2008) -> dict:
    """One model, ``n_simulations`` data sets drawn from it: correlation with the true θ, sign, coverage."""
    rng = np.random.default_rng(seed)
    theta, lam = simulate(rng, n_texts, n_words)
    left, right = int(np.argmin(theta)), int(np.argmax(theta))
    estimates, ses, correlations, iterations, seconds = [], [], [], [], []
    for _ in range(n_simulations):
        Y = rng.poisson(lam)
        Y = Y[:, Y.sum(axis=0) > 0]
        started = time.perf_counter()
        fit = scaling.fit_wordfish(Y, direction=(left, right))
        seconds.append(time.perf_counter() - started)
        estimates.append(fit.theta)
        ses.append(fit.se_theta)
        correlations.append(np.corrcoef(fit.theta, theta)[0, 1])
        iterations.append(fit.n_iter)
    estimates, ses = np.array(estimates), np.array(ses)
    return {"n_simulations": n_simulations, "n_texts": n_texts, "n_words": n_words,
            "tokens_per_text": float(lam.sum(axis=1).mean()),
            "correlation_mean": float(np.mean(correlations)), "correlation_min": float(np.min(correlations)),
            "sign_right": float(np.mean(estimates[:, left] < estimates[:, right])),
            "coverage_95": float(np.mean(np.abs(estimates - theta) < 1.959964 * ses)),
            "se_over_sd": float(ses.mean() / estimates.std(axis=0, ddof=1).mean()),
            "iterations_median": float(np.median(iterations)), "seconds_median": float(np.median(seconds))}


def since(started: float, cpu: float) -> tuple[float, float]:
    """Wall-clock and CPU seconds since ``started`` (perf_counter) and ``cpu`` (process_time)."""
    return time.perf_counter() - started, time.process_time() - cpu


def timing(corpus: Path, fraction: float) -> dict:
    """Seconds of each 05_scaling step on a ``fraction`` sample of ``corpus`` (the DTM is counted too)."""
    with tempfile.TemporaryDirectory() as folder:
        path = sample(corpus, fraction, Path(folder))
        table = pd.read_parquet(path)
    cfg = params.validate({})
    out = {"corpus": corpus.name, "fraction": fraction, "n_documents": len(table)}
    started, cpu = time.perf_counter(), time.process_time()
    X, terms = tokens.dtm(table["text"].tolist(), engine=Engine("local", 1), **workflow.tokenizer(cfg))
    out["dtm_s"], out["dtm_cpu_s"] = since(started, cpu)
    keep = scaling.select_terms(X, min_docfreq=cfg["scaling.min_docfreq"], max_terms=cfg["scaling.max_terms"])
    out["n_terms"] = len(keep)
    decades = (table["year"] // 10 * 10).tolist()
    for unit, labels in (("country", table["country"].tolist()), ("period (decade)", decades)):
        started, cpu = time.perf_counter(), time.process_time()
        counts, names = scaling.group_counts(X, labels)
        positions, _, fit = scaling.wordfish(counts[:, keep], names, terms[keep])
        out[f"wordfish_{unit}_s"], out[f"wordfish_{unit}_cpu_s"] = since(started, cpu)
        out[f"wordfish_{unit}_units"] = len(names)
        out[f"wordfish_{unit}_iterations"] = fit.n_iter
    rows = np.arange(min(len(table), cfg["scaling.max_documents"]))
    started, cpu = time.perf_counter(), time.process_time()
    _, _, fit = scaling.wordfish(X[rows][:, keep], table["doc_id"].iloc[rows].tolist(), terms[keep])
    out["wordfish_documents_s"], out["wordfish_documents_cpu_s"] = since(started, cpu)
    out["wordfish_documents_units"], out["wordfish_documents_iterations"] = len(rows), fit.n_iter
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS if DEFAULT_CORPUS.exists() else FALLBACK_CORPUS)
    args = parser.parse_args()
    sim = recovery(args.simulations) if args.simulations else {}
    clock = timing(args.corpus, args.fraction)
    lines = ["# Wordfish: recovery, coverage and time", "",
             f"`python bench/scaling.py --simulations {args.simulations} --fraction {args.fraction:g}`"]
    if sim:
        lines += ["", f"## Recovery ({sim['n_simulations']} data sets from one model: {sim['n_texts']} texts, "
                  f"{sim['n_words']} words, about {sim['tokens_per_text']:.0f} tokens per text)", "",
                  "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {v:.3f} |" for k, v in sim.items() if k not in ("n_simulations", "n_texts", "n_words")]
    lines += ["", f"## Time of the steps on a {args.fraction:g} sample of `{clock['corpus']}` (one process)", "",
              "| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in clock.items()]
    (ROOT / "bench" / "results_scaling.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
