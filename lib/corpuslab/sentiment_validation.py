"""How well the sentiment methods agree with people: the human-rated gold standards of the VADER paper
(Hutto & Gilbert 2014), Pearson r, Spearman ρ and 3-class macro-F1 with percentile bootstrap 95 % intervals.

The intervals come from ``scipy.stats.bootstrap`` (Pearson's through ``pearsonr(...).confidence_interval``),
both from the same seeded resamples of the rated texts. Macro-F1 is scikit-learn's ``f1_score``; its
1,000 resamples are scored at once by :func:`_macro_f1_of_rows`, equal to ``f1_score`` on each
(tested), since ``f1_score`` spends 4 ms a call checking its input (40 s more for the four gold standards).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corpuslab.errors import CorpuslabError
from corpuslab.huliu import huliu
from corpuslab.resources import DATA_DIR
from corpuslab.vader import vader

GOLD_DIR = DATA_DIR / "validation" / "vader-icwsm2014"
GOLD_FILES = {
    "nyt_editorials": "nytEditorialSnippets_GroundTruth.txt",
    "movie_reviews": "movieReviewSnippets_GroundTruth.txt",
    "product_reviews": "amazonReviewSnippets_GroundTruth.txt",
    "tweets": "tweets_GroundTruth.txt",
}
DATASET_CHOICES = {"all": tuple(GOLD_FILES), "nyt": ("nyt_editorials",), "none": ()}  # sentiment.validation
COLUMNS = ["dataset", "method", "n", "pearson_r", "pearson_ci_low", "pearson_ci_high", "spearman_rho", "macro_f1",
           "f1_ci_low", "f1_ci_high"]
BOOT_BATCH = 100  # resamples drawn at once: vectorised, bounded memory


def read_gold(dataset: str, folder: Path = GOLD_DIR) -> pd.DataFrame:
    """A gold standard of the VADER paper: id, rating (mean of 20 people, −4…+4), text."""
    if dataset not in GOLD_FILES:
        raise CorpuslabError(f"sentiment validation dataset: got {dataset!r}; allowed: {', '.join(GOLD_FILES)}")
    rows = []
    for line in (folder / GOLD_FILES[dataset]).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) >= 3:
            rows.append({"id": parts[0], "rating": float(parts[1]), "text": "\t".join(parts[2:])})
    return pd.DataFrame(rows)


def three_class(values: np.ndarray, threshold: float) -> np.ndarray:
    """1 above ``threshold``, −1 below −``threshold``, else 0.

    >>> three_class(np.array([0.3, 0.0, -0.3]), 0.05).tolist()
    [1, 0, -1]
    """
    return np.where(values > threshold, 1, np.where(values < -threshold, -1, 0))


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """scikit-learn's macro-averaged F1: over the classes present in either (a class never predicted scores 0).

    >>> macro_f1(np.array([1, 0, -1, 1]), np.array([1, 0, 1, 1]))
    0.6
    """
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro", zero_division=0))


def _macro_f1_of_rows(truth: np.ndarray, predicted: np.ndarray, axis: int = -1) -> np.ndarray:
    """:func:`macro_f1` of each row of two (resamples × texts) arrays of classes −1, 0, 1, at once."""
    f1, present = np.zeros(truth.shape[:-1]), np.zeros(truth.shape[:-1])
    for c in (-1, 0, 1):
        tp = ((truth == c) & (predicted == c)).sum(axis=axis)
        denominator = (truth == c).sum(axis=axis) + (predicted == c).sum(axis=axis)
        f1 += np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)
        present += denominator > 0
    return f1 / present


def agreement(rating: np.ndarray, compound: np.ndarray, *, threshold: float = 0.05, n_boot: int = 1000,
              seed: int = 0) -> dict[str, float]:
    """Pearson r, Spearman ρ and 3-class macro-F1 of scores against gold ratings, with percentile bootstrap 95 % CIs.

    Gold ratings are divided by 4 (to −1…+1) and both sides are split at ±``threshold``.
    Both intervals resample the same (seeded) texts.

    >>> result = agreement(np.array([-3.0, -1.0, 0.0, 1.0, 2.5, 3.0]), np.array([-0.6, -0.1, 0.0, 0.3, 0.2, 0.8]),
    ...                    n_boot=200)
    >>> round(result["pearson_r"], 3), result["macro_f1"], result["pearson_ci_low"] < result["pearson_r"]
    (0.93, 1.0, True)
    """
    from scipy import stats

    rating, compound = np.asarray(rating, float), np.asarray(compound, float)
    truth, predicted = three_class(rating / 4, threshold), three_class(compound, threshold)

    def resampling():  # a fresh generator for each statistic: both see the same resamples
        return {"n_resamples": n_boot, "batch": BOOT_BATCH, "method": "percentile", "rng": np.random.default_rng(seed)}

    pearson = stats.pearsonr(rating, compound)
    r_ci = pearson.confidence_interval(0.95, method=stats.BootstrapMethod(**resampling()))
    f1_ci = stats.bootstrap((truth, predicted), _macro_f1_of_rows, paired=True, vectorized=True,
                            **resampling()).confidence_interval
    return {
        "n": len(rating), "pearson_r": float(pearson.statistic),
        "pearson_ci_low": float(r_ci.low), "pearson_ci_high": float(r_ci.high),
        "spearman_rho": float(stats.spearmanr(rating, compound)[0]),
        "macro_f1": macro_f1(truth, predicted), "f1_ci_low": float(f1_ci.low), "f1_ci_high": float(f1_ci.high),
    }


def validate(datasets=tuple(GOLD_FILES), methods=("vader", "huliu"), *, threshold: float = 0.05,
             n_boot: int = 1000, seed: int = 0, vader_input: str = "normalised") -> pd.DataFrame:
    """Agreement of every method with people on every gold dataset: the ``sentiment_validation`` table.

    VADER reads the gold texts as ``vader_input`` says (:mod:`corpuslab.vader`), as it reads the corpus.
    """
    rows = []
    for dataset in datasets:
        gold = read_gold(dataset)
        for method in methods:
            if method == "vader":
                compound = np.array([vader(t, vader_input=vader_input)["compound"] for t in gold["text"]])
            else:
                compound = np.array([huliu(t)["compound"] for t in gold["text"]])
            rows.append({"dataset": dataset, "method": method,
                         **agreement(gold["rating"].to_numpy(), compound, threshold=threshold, n_boot=n_boot,
                                     seed=seed)})
    return pd.DataFrame(rows, columns=COLUMNS)
