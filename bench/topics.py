"""Benchmark topic-model methods on the same DTM: Brown (NMI of main topic vs genre, NPMI) and UN General Debate
(fit time, NPMI).

Run: .venv/bin/python bench/topics.py [--quick]  -> bench/results_topics.md and .json
Every method sees the same document-term matrix (scikit-learn CountVectorizer, English stopwords,
min_df=5, max_df=0.5); NPMI is our ``topic_selection.coherence`` on document co-occurrence in the same corpus,
top 10 terms. gensim / tomotopy are measured only if installed (optional ``bench`` extra).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import normalized_mutual_info_score

from corpuslab import topic_selection, topics

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"  # the developers' data folder beside the project
BROWN = SHARED / "nltk_data" / "corpora" / "brown.zip"
UNGDC = SHARED / "corpus" / "ungdc" / "ungdc.parquet"


def brown() -> tuple[list[str], list[str]]:
    texts, genres = [], []
    with zipfile.ZipFile(BROWN) as z:
        cats = dict(line.split()[:2] for line in z.read("brown/cats.txt").decode().splitlines() if line.strip())
        for fid, genre in sorted(cats.items()):
            raw = z.read(f"brown/{fid}").decode("latin-1")
            texts.append(" ".join(re.sub(r"/\S+$", "", tok) for tok in raw.split()))
            genres.append(genre)
    return texts, genres


def npmi(X, topic_term, top_n=10) -> float:
    top = topic_selection.top_indices(topic_term, top_n=top_n)
    cols = sorted(set(top.ravel().tolist()))
    D, n = topic_selection.unit_cooccurrence(X, cols)
    return float(topic_selection.coherence(top, D, n, {c: i for i, c in enumerate(cols)})["npmi"].mean())


def _corpuslab(method):
    def fit(X, k, s):
        model = topics.TopicModel(k, method=method, seed=s).fit(X)
        return model.unit_topic_, model.topic_term_
    return fit


def methods():
    out = {"corpuslab-nmf (default)": _corpuslab("nmf"), "sklearn-lda": _corpuslab("lda")}
    try:
        import tomotopy as tp

        def tomo(X, k, s):
            mdl = tp.LDAModel(k=k, seed=s)
            X = X.tocsr()
            for i in range(X.shape[0]):
                row = X.getrow(i)
                words = [str(j) for j, c in zip(row.indices, row.data) for _ in range(int(c))]
                if words:
                    mdl.add_doc(words)
            mdl.train(200, workers=0)  # its default: all cores, as a user would run it
            tt = np.zeros((k, X.shape[1]))
            for t in range(k):
                for w, p in zip(mdl.used_vocabs, mdl.get_topic_word_dist(t)):
                    tt[t, int(w)] = p
            dt = np.array([d.get_topic_dist() for d in mdl.docs])
            return dt, tt
        out["tomotopy-lda"] = tomo
    except ImportError:
        pass
    try:
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaModel

        def gens(X, k, s):
            corpus = Sparse2Corpus(X, documents_columns=False)
            m = LdaModel(corpus, num_topics=k, random_state=s, passes=5, id2word={i: str(i) for i in range(X.shape[1])})
            tt = m.get_topics()
            dt = np.zeros((X.shape[0], k))
            for i, bow in enumerate(corpus):
                for t, p in m.get_document_topics(bow, minimum_probability=0):
                    dt[i, t] = p
            return dt, tt
        out["gensim-lda"] = gens
    except ImportError:
        pass
    return out


def run(texts, k, seed=0, labels=None):
    X = CountVectorizer(stop_words="english", min_df=5, max_df=0.5,
                        token_pattern=r"(?u)\b[^\W\d_]{2,}\b").fit_transform(texts)
    rows = []
    for name, fitter in methods().items():
        t0 = time.perf_counter()
        dt, tt = fitter(X, k, seed)
        row = {"method": name, "k": k, "n_docs": X.shape[0], "n_terms": X.shape[1],
               "fit_seconds": round(time.perf_counter() - t0, 2), "npmi": round(npmi(X, tt), 4)}
        if labels is not None:
            row["nmi_genre"] = round(float(normalized_mutual_info_score(labels, dt.argmax(axis=1))), 4)
        rows.append(row)
    return rows


def markdown(rows) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    return "\n".join(lines + ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="UN corpus: a 1,000-speech sample instead of all")
    args = ap.parse_args()
    texts, genres = brown()
    results = {"brown": run(texts, 15, labels=genres)}
    un = pd.read_parquet(UNGDC, columns=["text"])
    if args.quick:
        un = un.sample(1000, random_state=0)
    results["ungdc"] = run(un["text"].tolist(), 20)
    results["mode"] = "quick (UN sample of 1,000 speeches)" if args.quick else "full"
    (HERE / "results_topics.json").write_text(json.dumps(results, indent=2))
    md = [f"# Topic-model method benchmark ({results['mode']})", "",
          "## Brown (500 texts, 15 genres, k = 15)", "", markdown(results["brown"]), "",
          "## UN General Debate (k = 20)", "", markdown(results["ungdc"]), ""]
    (HERE / "results_topics.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
