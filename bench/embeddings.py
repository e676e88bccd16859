"""How stable word2vec neighbours are on growing samples of the UN speeches, and what training costs.

Usage: python bench/embeddings.py [--corpus PATH.parquet] [--sizes 5000,25000,...] [--seeds 3] [--timing-fraction 0.1]

For each size: a seeded sample of sentences of that many tokens (the corpus's default tokeniser), word2vec
trained with ``--seeds`` seeds (one worker), and the mean pairwise Jaccard overlap of the top-10 neighbours
of the 100 most frequent words (corpuslab.embeddings.stability). The threshold ``embeddings.min_tokens``
and the cap ``embeddings.max_tokens`` are chosen from this table. Timing: the default report's step
(sampling + tokenising + training all seeds at the default cap) on ``--timing-fraction`` of the whole corpus
(every k-th speech). Results: bench/results_embeddings.md. Run it on a quiet machine; it uses one core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "lib"))

from corpuslab import embeddings, params, segment, workflow  # noqa: E402
from run import DEFAULT_CORPUS, FALLBACK_CORPUS, sample  # noqa: E402


def sentences_of(path: Path) -> list[str]:
    documents = pd.read_parquet(path)[["doc_id", "text"]]
    return segment.sentences(documents, mode="auto")["text"].tolist()


def markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in table.itertuples(index=False)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS if DEFAULT_CORPUS.exists() else FALLBACK_CORPUS)
    parser.add_argument("--sizes", default="5000,25000,50000,100000,300000")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--timing-fraction", type=float, default=0.1)
    args = parser.parse_args()
    cfg = params.validate({})
    options = workflow.tokenizer(cfg)
    seeds = [cfg["seed"] + i for i in range(args.seeds)]
    with tempfile.TemporaryDirectory() as folder:
        texts = sentences_of(sample(args.corpus, args.timing_fraction, Path(folder)))
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        started, cpu = time.perf_counter(), time.process_time()
        sentences = embeddings.training_sentences(texts, max_tokens=size, seed=cfg["seed"], **options)
        models = [embeddings.train(sentences, seed=s) for s in seeds]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        n_tokens = sum(map(len, sentences))
        rows.append({"max_tokens": size, "n_tokens": n_tokens, "n_words": len(models[0]),
                     **embeddings.stability(models), "cpu_seconds_all_seeds": round(cpu, 1),
                     "wall_seconds_all_seeds": round(seconds, 1)})
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    note = (f"Corpus: {args.corpus.name}, every {round(1 / args.timing_fraction)}-th speech "
            f"({len(texts):,} sentences); {args.seeds} seeds; default tokeniser (stopwords removed); "
            f"word2vec {embeddings.TRAINING}, one worker. `jaccard_*`: the 100 most frequent words' mean pairwise "
            "Jaccard overlap of their top-10 neighbours between seeds. `*_seconds_all_seeds`: sampling, "
            "tokenising and training every seed (CPU time of this process; wall time as loaded).\n\n")
    (ROOT / "bench" / "results_embeddings.md").write_text(
        "# Word-embedding stability by training size\n\n" + note + markdown(table.round(3)) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
