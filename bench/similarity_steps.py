"""Time 04_similarity's steps as the notebook runs them, on every k-th speech of the UN corpus.

Usage: python bench/similarity_steps.py [--step 10] [--max-documents 2000] [--corpus PATH.parquet]

CPU seconds (time.process_time, one BLAS thread: run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1) of each
step after the token stream is cached (as 01 leaves it): counts and tf-idf grow with the corpus, neighbours and
the tree with the square of the documents compared pairwise (at most --max-documents). On a quiet machine,
`--step 1` times the whole corpus.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from corpuslab import params, similarity, workflow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ungdc" / "ungdc.parquet"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=10, help="keep every k-th speech")
    parser.add_argument("--max-documents", type=int, default=2000, help="similarity.max_documents")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    table = pd.read_parquet(args.corpus).iloc[::args.step]
    table.assign(date=table["year"].astype(str)).to_parquet(folder / "sample.parquet", index=False)
    cfg = params.validate({"corpus.path": str(folder / "sample.parquet"), "corpus.clean": False, "n_jobs": 1,
                           "similarity.max_documents": args.max_documents})
    documents = workflow.documents(cfg)
    workflow.token_stream(cfg, documents["text"])
    seconds = {}

    def timed(name, func):
        started = time.process_time()
        result = func()
        seconds[name] = round(time.process_time() - started, 2)
        return result

    W, _terms = timed("counts and tf-idf", lambda: workflow.similarity_weights(cfg, documents))
    compared = workflow.similarity_sample(cfg, len(documents))
    timed("neighbours", lambda: similarity.similar_documents(W[compared], documents["doc_id"].iloc[compared]))
    grouping = next(iter(workflow.display_groupings(cfg, documents).values()))
    timed("heat map (groups)", lambda: similarity.group_similarity(W, grouping))
    timed("clusters", lambda: similarity.cluster_documents(W, documents["doc_id"], max_clustered=args.max_documents))
    print(f"{len(documents):,} documents, {len(compared):,} compared pairwise: {seconds}, "
          f"total {sum(seconds.values()):.2f} CPU s")


if __name__ == "__main__":
    main()
