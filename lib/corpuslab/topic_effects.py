"""Topic prevalence as a function of metadata (stm's ``estimateEffect``): a regression of documents' topic
proportions on a smooth term for time, a group, and their interaction, with uncertainty that carries the topic
model's (the method of composition, pooled by Rubin's rules).

Owns: the tables ``topic_effects`` (coefficients), ``topic_effect_curve`` (predicted prevalence over time per
group), ``topic_effect_groups`` (per group, averaged over the documents' dates) and ``topic_effect_difference``
(two groups' difference, over time and overall). Topic models are in ``topics``, group means in
``topic_prevalence``, the key finding in :func:`corpuslab.findings.topic_effects_finding`.

The regression is per *document*: a document's proportion of a topic is the token-weighted mean of its units'
weights, so the cost does not grow with the number of paragraphs. Uncertainty: each of ``n_draws`` draws gives
every document plausible proportions (LDA: each unit's variational Dirichlet posterior; NMF, which has no
posterior: the document's units resampled with replacement), the regression is refitted on each draw, and the
draws' coefficients and covariances are pooled: variance = mean within-draw covariance + (1 + 1/D) x the
between-draw covariance, Student t with Rubin's degrees of freedom. With no variation between draws the
intervals are the OLS intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import interpolate
from scipy import stats as sps

from corpuslab.errors import CorpuslabError

TIME = "time"
MIN_DOCUMENTS = 30  # fewer documents with covariate values: the section skips
MIN_GROUP_DOCUMENTS = 5  # a group with fewer documents is left out of the regression (listed)
MAX_GROUPS = 6  # the largest groups kept as levels; the others are left out (listed)
EFFECT_COLUMNS = ["topic", "term", "estimate", "std_error", "ci_low", "ci_high", "reference"]
CURVE_COLUMNS = ["topic", "group", "time", "estimate", "ci_low", "ci_high"]
GROUP_COLUMNS = ["topic", "group", "n_documents", "estimate", "ci_low", "ci_high"]
DIFFERENCE_COLUMNS = ["topic", "contrast", "over", "time", "estimate", "ci_low", "ci_high"]


# --- the data: documents' proportions and covariates --------------------------------------------------------

def document_topics(unit_topic: np.ndarray, doc_ids, n_tokens) -> tuple[np.ndarray, np.ndarray]:
    """Documents' topic proportions, each the token-weighted mean of its units' weights: (doc_ids, theta).

    >>> docs, theta = document_topics(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), ["a", "a", "b"], [3, 1, 2])
    >>> docs.tolist(), theta.tolist()
    (['a', 'b'], [[0.75, 0.25], [0.5, 0.5]])
    """
    names, codes = document_codes(doc_ids)
    return names, _weighted_means(unit_topic, codes, np.asarray(n_tokens, dtype=float), len(names))


def document_codes(doc_ids) -> tuple[np.ndarray, np.ndarray]:
    """The distinct documents in sorted order and each unit's index among them (the order of every per-document
    array here: :func:`document_topics` and the draws).

    >>> names, codes = document_codes([10, 2, 10])
    >>> names.tolist(), codes.tolist()
    ([2, 10], [1, 0, 1])
    """
    codes, names = pd.factorize(pd.Series(np.asarray(doc_ids)), sort=True)  # as np.unique, 10x faster on text
    return np.asarray(names), codes.astype(np.int64)


def _weighted_means(values: np.ndarray, codes: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    totals = np.bincount(codes, weights=weights, minlength=n)
    sums = np.column_stack([np.bincount(codes, weights=weights * values[:, t], minlength=n)
                            for t in range(values.shape[1])])
    return sums / np.where(totals > 0, totals, 1.0)[:, None]


def decimal_years(dates) -> np.ndarray:
    """Dates ("YYYY", "YYYY-MM", "YYYY-MM-DD") as decimal years, mid-period for a year or month; NaN if undated.

    >>> decimal_years(["2020", "2020-07", "2020-07-01", ""]).round(3).tolist()
    [2020.5, 2020.542, 2020.5, nan]
    """
    text = pd.Series(list(dates), dtype=object).fillna("").astype(str).str.strip()
    year = pd.to_numeric(text.str[:4], errors="coerce")
    month = pd.to_numeric(text.str[5:7], errors="coerce")
    day = pd.to_numeric(text.str[8:10], errors="coerce")
    within_month = np.where(day.notna(), (day.fillna(1) - 1) / 30.4, 0.5)
    offset = np.where(month.notna(), (month.fillna(1) - 1 + within_month) / 12, 0.5)
    return (year + offset).to_numpy(dtype=float)


@dataclass(frozen=True)
class TimeSpline:
    """A B-spline basis of time with ``df`` columns and no intercept column, as patsy's ``bs(x, df=df)`` (R's
    ``splines::bs``): degree min(3, df), df - degree interior knots at quantiles of the data, boundary knots
    at its range; the first B-spline is dropped (the intercept carries it). Fixed on the data, it evaluates at
    any time within their range, so predictions use the same basis.

    >>> spline = TimeSpline.fit(np.arange(10.0), df=4)
    >>> spline.transform(np.array([0.0, 4.5, 9.0])).round(3).tolist()
    [[0.0, 0.0, 0.0, 0.0], [0.25, 0.5, 0.25, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """

    knots: tuple[float, ...]
    degree: int
    lower: float
    upper: float

    @classmethod
    def fit(cls, x: np.ndarray, *, df: int) -> TimeSpline:
        if df < 1:
            raise CorpuslabError(f"effects.time_df: got {df}; allowed: 1 or more")
        degree = min(3, df)
        inner = np.percentile(x, np.linspace(0, 100, df - degree + 2)[1:-1]) if df > degree else np.array([])
        return cls(tuple(float(k) for k in inner), degree, float(np.min(x)), float(np.max(x)))

    @property
    def df(self) -> int:
        return len(self.knots) + self.degree

    def transform(self, x: np.ndarray) -> np.ndarray:
        x = np.clip(np.asarray(x, dtype=float), self.lower, self.upper)
        t = np.r_[[self.lower] * (self.degree + 1), self.knots, [self.upper] * (self.degree + 1)]
        if self.upper <= self.lower:
            return np.zeros((len(x), self.df))
        basis = interpolate.BSpline.design_matrix(x, t, self.degree, extrapolate=False).toarray()
        return basis[:, 1:]


# --- the design ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Design:
    """What the regression has: a time spline (or none), group levels (the reference first, or none) and whether
    time and group interact. :meth:`matrix` builds the model matrix for any (time, group) rows."""

    spline: TimeSpline | None
    levels: tuple[str, ...]
    interaction: bool

    @property
    def reference(self) -> str:
        return self.levels[0] if self.levels else ""

    def names(self, group: str = "group") -> list[str]:
        spline = [f"{TIME}_bs{i + 1}" for i in range(self.spline.df)] if self.spline else []
        dummies = [f"{group}[{level}]" for level in self.levels[1:]]
        both = [f"{s}:{d}" for d in dummies for s in spline] if self.interaction else []
        return ["(intercept)", *spline, *dummies, *both]

    def matrix(self, time, group) -> np.ndarray:
        n = len(time) if self.spline else len(group)
        columns = [np.ones((n, 1))]
        spline = self.spline.transform(time) if self.spline else np.zeros((n, 0))
        dummies = (np.asarray(group, dtype=object)[:, None] == np.array(self.levels[1:], dtype=object)[None, :]
                   ).astype(float) if self.levels else np.zeros((n, 0))
        columns += [spline, dummies]
        if self.interaction and self.spline and self.levels:
            columns += [spline * dummies[:, [j]] for j in range(dummies.shape[1])]
        return np.hstack(columns)


def choose_levels(groups, *, max_groups: int = MAX_GROUPS, min_documents: int = MIN_GROUP_DOCUMENTS,
                  reference: str = "") -> tuple[tuple[str, ...], list[str]]:
    """The group levels the regression keeps, the reference first (``reference`` if given, else the largest
    group), and the groups left out: beyond the ``max_groups`` largest, or with fewer than ``min_documents``.

    >>> choose_levels(["a"] * 6 + ["b"] * 9 + ["c"] * 2)
    (('b', 'a'), ['c'])
    """
    counts = pd.Series(list(groups), dtype=object).value_counts()
    counts = counts.iloc[np.lexsort((counts.index.astype(str), -counts.to_numpy()))]  # largest, then by name
    kept = [str(g) for g, n in counts.items() if n >= min_documents][:max_groups]
    if reference:
        if reference not in kept:
            raise CorpuslabError(f"effects.contrast: got {reference!r}; allowed: one of {', '.join(kept) or 'none'} "
                                 f"(groups with {min_documents} or more documents)")
        kept = [reference, *[g for g in kept if g != reference]]
    return tuple(kept), [str(g) for g in counts.index if str(g) not in kept]


# --- the regression and its pooling -------------------------------------------------------------------------

def ols(M: np.ndarray, Y: np.ndarray, *, cov: str = "classic") -> tuple[np.ndarray, np.ndarray, int]:
    """Least squares of every column of ``Y`` on ``M``: (coefficients p x k, covariances k x p x p, residual df).
    ``cov``: "classic" (sigma^2 (M'M)^-1) or "hc1" (White's sandwich, n/(n-p)), as statsmodels' OLS.
    Raises when ``M`` is not of full column rank (collinear covariates).
    """
    return _least_squares(M, _bread(M), Y, cov)


def _bread(M: np.ndarray) -> np.ndarray:
    if np.linalg.matrix_rank(M) < M.shape[1]:
        raise CorpuslabError("effects.covariates: the covariates are collinear (a group observed in too few "
                             "years for the time x group interaction, or a group that is the time itself); lower "
                             "effects.time_df, set effects.interaction to false, or choose other covariates")
    return np.linalg.inv(M.T @ M)


def _least_squares(M: np.ndarray, bread: np.ndarray, Y: np.ndarray, cov: str):
    n, p = M.shape
    beta = bread @ (M.T @ Y)
    resid = Y - M @ beta
    df = n - p
    if cov == "classic":
        sigma2 = (resid ** 2).sum(axis=0) / df
        return beta, sigma2[:, None, None] * bread[None], df
    meat = np.stack([(M * resid[:, [t]]).T @ (M * resid[:, [t]]) for t in range(Y.shape[1])])
    return beta, n / df * bread[None] @ meat @ bread[None], df


@dataclass(frozen=True)
class Pooled:
    """Coefficients from the observed proportions, and the mean within-draw and between-draw covariances."""

    beta: np.ndarray  # p x k
    within: np.ndarray  # k x p x p
    between: np.ndarray  # k x p x p
    n_draws: int
    df_resid: int

    def linear(self, L: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, ...]:
        """Estimate, standard error and interval of ``L @ beta`` per topic (rows of L by topics)."""
        est = L @ self.beta
        w = np.einsum("mi,kij,mj->mk", L, self.within, L)
        b = np.einsum("mi,kij,mj->mk", L, self.between, L)
        d = self.n_draws
        total = w + (1 + 1 / d) * b if d > 1 else w
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(b > 0, w / ((1 + 1 / max(d, 1)) * b), np.inf)
            dof = np.minimum((d - 1) * (1 + ratio) ** 2 if d > 1 else np.inf, self.df_resid)
        se = np.sqrt(np.maximum(total, 0))
        q = sps.t.ppf(0.5 + level / 2, dof)
        return est, se, est - q * se, est + q * se


def pool(M: np.ndarray, theta: np.ndarray, draws=(), *, cov: str = "classic") -> Pooled:
    """Fit the regression on the observed proportions ``theta`` and on each draw (documents x topics), pooling
    the draws' covariances and the spread of their coefficients (the method of composition, by moments).
    Without draws the result is plain OLS."""
    bread = _bread(M)  # the design is the same in every draw
    beta, V, df = _least_squares(M, bread, theta, cov)
    betas, within = [], []
    for draw in draws:
        b, v, _ = _least_squares(M, bread, draw, cov)
        betas.append(b)
        within.append(v)
    if not betas:
        return Pooled(beta, V, np.zeros_like(V), 0, df)
    stacked = np.stack(betas)  # D x p x k
    centred = stacked - stacked.mean(axis=0)
    between = np.einsum("dik,djk->kij", centred, centred) / max(len(betas) - 1, 1)
    return Pooled(beta, np.mean(within, axis=0), between, len(betas), df)


# --- draws of plausible proportions -------------------------------------------------------------------------

def resampled_units(unit_topic: np.ndarray, doc_codes: np.ndarray, n_tokens, *, n_draws: int, seed: int):
    """Draws of documents' proportions with each document's units resampled with replacement (documents in code
    order 0..n-1): for NMF, which has no posterior. A document of one unit never varies."""
    rng = np.random.default_rng(seed)
    order = np.argsort(doc_codes, kind="stable")
    codes, weights = doc_codes[order], np.asarray(n_tokens, dtype=float)[order]
    weighted = unit_topic[order] * weights[:, None]
    n = int(codes.max()) + 1 if len(codes) else 0
    sizes = np.bincount(codes, minlength=n)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    present = sizes > 0
    for _ in range(n_draws):  # units sorted by document: sums by contiguous runs (reduceat), not bincount
        picked = starts[codes] + np.floor(rng.random(len(codes)) * sizes[codes]).astype(np.int64)
        sums = np.zeros((n, unit_topic.shape[1]))
        sums[present] = np.add.reduceat(weighted[picked], starts[present], axis=0)
        totals = np.zeros(n)
        totals[present] = np.add.reduceat(weights[picked], starts[present])
        yield sums / np.where(totals > 0, totals, 1.0)[:, None]


def dirichlet_units(concentration: np.ndarray, doc_codes: np.ndarray, n_tokens, *, n_draws: int, seed: int):
    """Draws of documents' proportions with each unit's proportions drawn from its Dirichlet posterior
    (``concentration``: LDA's variational parameters, units x topics), for LDA."""
    rng = np.random.default_rng(seed)
    weights, n = np.asarray(n_tokens, dtype=float), int(doc_codes.max()) + 1
    for _ in range(n_draws):
        g = rng.standard_gamma(np.maximum(concentration, 1e-12))
        yield _weighted_means(g / g.sum(axis=1, keepdims=True), doc_codes, weights, n)


# --- the whole estimate and its tables ----------------------------------------------------------------------

@dataclass(frozen=True)
class Effects:
    """A fitted effects regression: its design, pooled fit, the documents' covariates and what was left out."""

    design: Design
    pooled: Pooled
    time: np.ndarray | None  # decimal years of the documents in the regression
    group: np.ndarray | None  # their group labels
    group_name: str
    n_documents: int
    left_out: pd.DataFrame  # reason, n_documents
    level: float


def fit(theta: np.ndarray, *, time=None, group=None, group_name: str = "group", time_df: int = 4,
        interaction: bool = True, reference: str = "", draws=(), cov: str = "hc1", level: float = 0.95,
        max_groups: int = MAX_GROUPS) -> Effects:
    """Regress documents' topic proportions ``theta`` (documents x topics) on a B-spline of ``time`` (decimal
    years; NaN: undated, left out) and the ``group`` labels, interacting if ``interaction``; ``draws`` are
    plausible proportions of the same documents (:func:`resampled_units`, :func:`dirichlet_units`).

    >>> rng = np.random.default_rng(0)
    >>> g = np.repeat(["a", "b"], 50)
    >>> theta = np.column_stack([0.3 + 0.2 * (g == "b") + rng.normal(0, 0.05, 100), np.zeros(100)])
    >>> theta[:, 1] = 1 - theta[:, 0]
    >>> effects = fit(theta, group=g, reference="a")
    >>> table = group_table(effects).round(2)
    >>> table[table["topic"] == 1][["group", "estimate"]].values.tolist()
    [['a', 0.31], ['b', 0.5]]
    """
    n = len(theta)
    keep = np.ones(n, dtype=bool)
    reasons = []
    if time is not None:
        time = np.asarray(time, dtype=float)
        keep &= ~np.isnan(time)
        reasons.append(("undated", int((~keep).sum())))
    levels = ()
    if group is not None:
        group = np.asarray(group, dtype=object).astype(str)
        levels, dropped = choose_levels(group[keep], reference=reference, max_groups=max_groups)
        outside = keep & ~np.isin(group, levels)
        reasons += [(f"{group_name} {g}: fewer than {MIN_GROUP_DOCUMENTS} documents or beyond the {max_groups} "
                     "largest groups", int((outside & (group == g)).sum())) for g in dropped]
        keep &= ~outside
        if len(levels) < 2:
            levels = ()
    if keep.sum() < MIN_DOCUMENTS:
        raise CorpuslabError(f"effects: {int(keep.sum())} of {n} documents have the covariates (a date, a group of "
                             f"{MIN_GROUP_DOCUMENTS} or more documents); a regression needs at least {MIN_DOCUMENTS}")
    spline = TimeSpline.fit(time[keep], df=time_df) if time is not None else None
    if spline is None and not levels:
        raise CorpuslabError("effects.covariates: neither a time nor a grouping with 2 or more groups of "
                             f"{MIN_GROUP_DOCUMENTS}+ documents; add dates or a grouping column")
    design = Design(spline, levels, interaction and spline is not None and bool(levels))
    t, g = (time[keep] if spline else None), (group[keep] if levels else None)
    M = design.matrix(t if spline else np.zeros(int(keep.sum())), g if levels else [])
    pooled = pool(M, theta[keep], (d[keep] for d in draws), cov=cov)
    left = pd.DataFrame([r for r in reasons if r[1]], columns=["reason", "n_documents"])
    return Effects(design, pooled, t, g, group_name, int(keep.sum()), left, level)


def _rows(effects: Effects, times, group: str) -> np.ndarray:
    times = np.asarray(times, dtype=float)
    return effects.design.matrix(times, [group] * len(times))


def _tidy(effects: Effects, L: np.ndarray, labels: pd.DataFrame, *, se: bool = False) -> pd.DataFrame:
    est, std, low, high = effects.pooled.linear(L, effects.level)
    k = est.shape[1]
    table = pd.concat([labels.assign(topic=t + 1, estimate=est[:, t], std_error=std[:, t], ci_low=low[:, t],
                                     ci_high=high[:, t]) for t in range(k)], ignore_index=True)
    return table if se else table.drop(columns="std_error")


def coefficients(effects: Effects) -> pd.DataFrame:
    """The regression's coefficients per topic with intervals (table ``topic_effects``); ``reference`` names the
    group level the group terms are measured from. Spline terms are read together, through the curve."""
    names = effects.design.names(effects.group_name)
    table = _tidy(effects, np.eye(len(names)), pd.DataFrame({"term": names}), se=True)
    return table.assign(reference=effects.design.reference)[EFFECT_COLUMNS]


def time_grid(effects: Effects, n_points: int = 40) -> np.ndarray:
    """Evenly spaced times over the documents' range."""
    spline = effects.design.spline
    return np.linspace(spline.lower, spline.upper, n_points) if spline else np.array([])


def curve(effects: Effects, n_points: int = 40) -> pd.DataFrame:
    """Predicted prevalence over time, per group (table ``topic_effect_curve``; "all" without a grouping);
    empty without a time."""
    grid = time_grid(effects, n_points)
    if not len(grid):
        return pd.DataFrame(columns=CURVE_COLUMNS)
    parts = [_tidy(effects, _rows(effects, grid, g), pd.DataFrame({"group": g or "all", "time": grid}))
             for g in (effects.design.levels or ("",))]
    return pd.concat(parts, ignore_index=True)[CURVE_COLUMNS]


def _averaged(effects: Effects, group: str) -> np.ndarray:
    """The model row averaged over the documents' dates, with every document put in ``group``."""
    times = effects.time if effects.design.spline else np.zeros(effects.n_documents)
    return _rows(effects, times, group).mean(axis=0, keepdims=True)


def group_table(effects: Effects) -> pd.DataFrame:
    """Prevalence per group averaged over the documents' dates (stm's "pointestimate"; table
    ``topic_effect_groups``)."""
    levels = effects.design.levels or ("",)
    counts = pd.Series(effects.group).value_counts() if effects.design.levels else pd.Series({"": effects.n_documents})
    parts = [_tidy(effects, _averaged(effects, g), pd.DataFrame({"group": [g or "all"], "n_documents": [counts[g]]}))
             for g in levels]
    return pd.concat(parts, ignore_index=True)[GROUP_COLUMNS]


def default_contrast(effects: Effects) -> tuple[str, str]:
    """The two largest groups (the reference is the largest)."""
    levels = effects.design.levels
    return (levels[1], levels[0]) if len(levels) >= 2 else ("", "")


def difference(effects: Effects, a: str, b: str, n_points: int = 40) -> pd.DataFrame:
    """Prevalence of group ``a`` minus group ``b``, over time and overall (averaged over the documents' dates),
    with intervals (table ``topic_effect_difference``; stm's "difference")."""
    levels = effects.design.levels
    for name in (a, b):
        if name not in levels:
            raise CorpuslabError(f"effects.contrast: got {name!r}; allowed: {', '.join(levels) or 'no groups'} "
                                 "(groups in the regression)")
    label = f"{a} − {b}"
    overall = _tidy(effects, _averaged(effects, a) - _averaged(effects, b),
                    pd.DataFrame({"contrast": [label], "over": ["overall"], "time": [np.nan]}))
    grid = time_grid(effects, n_points)
    parts = [overall]
    if len(grid):
        parts.append(_tidy(effects, _rows(effects, grid, a) - _rows(effects, grid, b),
                           pd.DataFrame({"contrast": label, "over": "time", "time": grid})))
    return pd.concat(parts, ignore_index=True)[DIFFERENCE_COLUMNS]


def describe(effects: Effects, *, n_draws: int, method: str) -> str:
    """What was fitted, in one Markdown paragraph (group names escaped: they are corpus data).

    >>> g = np.repeat(["a", "b"], 20)
    >>> describe(fit(np.column_stack([np.linspace(0, 1, 40), np.linspace(1, 0, 40)]), group=g), n_draws=0,
    ...          method="nmf")[:98]
    '**The regression**: 40 documents, topic proportions on group (reference a; levels a, b); no draws:'
    """
    from corpuslab.report import as_markdown_text

    design = effects.design
    terms = []
    if design.spline:
        terms.append(f"a B-spline of time ({design.spline.df} df, {design.spline.lower:.0f}-{design.spline.upper:.0f})")
    if design.levels:
        terms.append(f"{as_markdown_text(effects.group_name)} (reference {as_markdown_text(design.reference)}; levels "
                     f"{', '.join(as_markdown_text(level) for level in design.levels)})")
    formula = (" x " if design.interaction else " + ").join(terms)
    source = ("each unit's variational Dirichlet posterior" if method == "lda"
              else "each document's units resampled with replacement")
    draws = f"{n_draws} draws from {source}" if n_draws else "no draws: the regression's uncertainty only"
    text = f"**The regression**: {effects.n_documents:,} documents, topic proportions on {formula}; {draws}."
    if effects.n_documents < 100:
        text += (f" With {effects.n_documents} documents the intervals are wide and the curve rests on few dates: "
                 "read it as a description of this corpus.")
    return text
