"""Time the English default path and language detection on a sample of the UN corpus (issue 21).

Usage: PYTHONPATH=lib python bench/language_paths.py [fraction]   (default 0.1; run on a quiet machine)

Prints the best of three timings of ``tokens.token_stream`` and ``tokens.dtm`` with the default params
(every document English: the single-language path) and of ``languages.detect`` on the sample, and the
DTM's token and term counts, which must equal those of the code before languages came in.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from corpuslab import languages, params, tokens, workflow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DEFAULT_CORPUS, sample  # noqa: E402


def best_of(func, n: int = 3) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return round(min(times), 2)


def main(fraction: float = 0.1) -> None:
    with tempfile.TemporaryDirectory() as folder:
        texts = pd.read_parquet(sample(DEFAULT_CORPUS, fraction, Path(folder)))["text"].tolist()
    options, english = workflow.tokenizer(params.validate({})), ["en"] * len(texts)
    X, terms = tokens.dtm(texts, languages=english, **options)
    languages.detect_one("warm up: load the model")
    print({"documents": len(texts), "n_tokens": int(X.sum()), "n_terms": len(terms),
           "token_stream_s": best_of(lambda: tokens.token_stream(texts, languages=english)),
           "dtm_s": best_of(lambda: tokens.dtm(texts, languages=english, **options)),
           "detect_s": best_of(lambda: languages.detect(texts), n=1)})


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.1)
