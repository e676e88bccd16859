"""topic_effects against references: statsmodels OLS (coefficients, covariances, intervals), patsy's bs() spline
basis, pandas weighted means, Rubin's rules by hand, and a small simulation with a known effect."""

import re
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from corpuslab import topic_effects as te
from corpuslab.errors import CorpuslabError
from corpuslab.resources import PROJECT_ROOT


def _table(n=80, seed=3):
    rng = np.random.default_rng(seed)
    year = rng.uniform(1990, 2020, n)
    group = rng.choice(["CHN", "RUS", "USA"], n)
    mu = 0.2 + 0.1 * (group == "RUS") + 0.003 * (year - 1990)
    theta = np.clip(np.column_stack([mu + rng.normal(0, 0.05 + 0.05 * (group == "USA"), n), np.zeros(n)]), 0, 1)
    theta[:, 1] = 1 - theta[:, 0]
    return year, group, theta


@pytest.mark.parametrize("cov, sm_cov", [("classic", "nonrobust"), ("hc1", "HC1")])
def test_ols_equals_statsmodels(cov, sm_cov):
    sm = pytest.importorskip("statsmodels.api")
    year, group, theta = _table()
    design = te.Design(te.TimeSpline.fit(year, df=4), ("CHN", "RUS", "USA"), True)
    M = design.matrix(year, group)
    beta, V, df = te.ols(M, theta, cov=cov)
    reference = sm.OLS(theta[:, 0], M).fit(cov_type=sm_cov)
    np.testing.assert_allclose(beta[:, 0], reference.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(V[0], reference.cov_params(), rtol=1e-8, atol=1e-14)
    assert df == reference.df_resid


def test_spline_basis_equals_patsy_bs():
    patsy = pytest.importorskip("patsy")
    x = np.random.default_rng(0).uniform(1946, 2023, 300)
    for df in (1, 2, 3, 4, 6, 10):
        reference = np.asarray(patsy.dmatrix(f"bs(x, df={df}, degree={min(3, df)}) - 1", {"x": x}))
        np.testing.assert_allclose(te.TimeSpline.fit(x, df=df).transform(x), reference, atol=1e-12)


def test_without_topic_model_uncertainty_the_intervals_are_the_ols_intervals():
    """Draws equal to the observed proportions (a fixed theta): nothing between draws, OLS's t intervals."""
    sm = pytest.importorskip("statsmodels.api")
    year, group, theta = _table()
    effects = te.fit(theta, time=year, group=group, reference="CHN", draws=[theta.copy() for _ in range(5)],
                     cov="classic")
    table = te.coefficients(effects)
    M = effects.design.matrix(year, group)
    reference = sm.OLS(theta[:, 0], M).fit()
    mine = table[table["topic"] == 1]
    np.testing.assert_allclose(mine[["ci_low", "ci_high"]].to_numpy(), reference.conf_int(0.05), rtol=1e-8)
    np.testing.assert_allclose(mine["std_error"], reference.bse, rtol=1e-8)
    assert mine["reference"].iloc[0] == "CHN"


def test_pooling_follows_rubins_rules_by_hand():
    rng = np.random.default_rng(1)
    year, group, theta = _table()
    draws = [np.clip(theta + rng.normal(0, 0.03, theta.shape), 0, 1) for _ in range(6)]
    effects = te.fit(theta, group=group, reference="CHN", draws=draws, cov="classic")
    M = effects.design.matrix(np.zeros(len(group)), group)
    fits = [te.ols(M, d[:, :1], cov="classic") for d in draws]
    w = np.mean([f[1][0][1, 1] for f in fits])  # the RUS coefficient
    b = np.var([f[0][1, 0] for f in fits], ddof=1)
    total = w + (1 + 1 / 6) * b
    dof = min(5 * (1 + w / ((1 + 1 / 6) * b)) ** 2, len(group) - 3)
    est = te.ols(M, theta[:, :1])[0][1, 0]
    row = te.coefficients(effects).query("topic == 1 and term == 'group[RUS]'").iloc[0]
    half = sps.t.ppf(0.975, dof) * np.sqrt(total)
    np.testing.assert_allclose([row["estimate"], row["ci_low"], row["ci_high"]], [est, est - half, est + half])


def test_group_only_difference_is_the_dummy_coefficient():
    _, group, theta = _table()
    effects = te.fit(theta, group=group, reference="CHN")
    coef = te.coefficients(effects).query("topic == 1 and term == 'group[RUS]'").iloc[0]
    diff = te.difference(effects, "RUS", "CHN").query("topic == 1").iloc[0]
    np.testing.assert_allclose(diff[["estimate", "ci_low", "ci_high"]].astype(float),
                               coef[["estimate", "ci_low", "ci_high"]].astype(float))
    means = pd.Series(theta[:, 0]).groupby(group).mean()
    groups = te.group_table(effects).query("topic == 1").set_index("group")["estimate"]
    np.testing.assert_allclose(groups[means.index], means)  # without time, a group's estimate is its mean


def test_document_topics_are_token_weighted_means():
    rng = np.random.default_rng(2)
    unit_topic = rng.dirichlet(np.ones(3), 40)
    docs = rng.choice(list("abcde"), 40)
    n = rng.integers(1, 50, 40)
    names, theta = te.document_topics(unit_topic, docs, n)
    frame = pd.DataFrame(unit_topic * n[:, None]).assign(doc=docs, n=n).groupby("doc").sum()
    np.testing.assert_allclose(theta, frame[[0, 1, 2]].to_numpy() / frame[["n"]].to_numpy())
    assert names.tolist() == sorted(set(docs))


def test_resampled_units_keep_single_unit_documents_and_centre_on_the_observed():
    rng = np.random.default_rng(4)
    unit_topic = rng.dirichlet(np.ones(2), 28)
    codes = np.r_[np.repeat(np.arange(9), 3), 9]  # document 9 has one unit
    n = np.full(28, 10)
    _, theta = te.document_topics(unit_topic, codes, n)
    draws = np.stack(list(te.resampled_units(unit_topic, codes, n, n_draws=2000, seed=0)))
    np.testing.assert_allclose(draws[:, 9], np.broadcast_to(theta[9], (2000, 2)))
    np.testing.assert_allclose(draws.mean(axis=0), theta, atol=0.01)


def test_dirichlet_draws_centre_on_the_normalised_concentration():
    concentration = np.array([[2.0, 6.0], [5.0, 5.0], [1.0, 3.0]])
    draws = np.stack(list(te.dirichlet_units(concentration, np.array([0, 0, 1]), [1, 1, 1], n_draws=4000, seed=0)))
    np.testing.assert_allclose(draws.mean(axis=0), [[0.375, 0.625], [0.25, 0.75]], atol=0.01)


def test_refusals_name_the_problem():
    year, group, theta = _table()
    with pytest.raises(CorpuslabError, match="20 of 20 documents have the covariates.*at least 30"):
        te.fit(theta[:20], time=year[:20])
    with pytest.raises(CorpuslabError, match="collinear"):  # a group that is the time itself
        te.fit(theta, time=np.where(group == "RUS", 2000.0, 1990.0), group=group, time_df=1, interaction=False)
    with pytest.raises(CorpuslabError, match="effects.contrast"):
        te.difference(te.fit(theta, group=group), "RUS", "GBR")
    effects = te.fit(theta, time=np.where(np.arange(len(year)) < 5, np.nan, year), group=group)
    assert effects.left_out.to_dict("records") == [{"reason": "undated", "n_documents": 5}]


def test_small_simulation_recovers_a_large_effect():
    """The whole pipeline (NMF, matching, draws, regression) on a simulated corpus with a group effect of +0.15."""
    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    try:
        import effects_coverage as sim
    finally:
        sys.path.remove(str(PROJECT_ROOT / "bench"))
    X, codes, year, group = sim.simulate(np.random.default_rng(5))
    effects, topic = sim.fitted_effects(X, codes, year, group, method="nmf", n_draws=10, seed=5)
    diff = te.difference(effects, "B", "A").query("over == 'overall'").set_index("topic")
    assert diff.loc[topic, "ci_low"] > 0
    assert len(te.curve(effects)) == 2 * 40 * 3


def test_curve_figure_draws_a_line_and_band_per_group_and_topic():
    from corpuslab import plots

    year, group, theta = _table()
    table = te.curve(te.fit(theta, time=year, group=group, time_df=3))
    fig = plots.topic_effect_curve(table)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 2 and [len(ax.lines) for ax in shown] == [3, 3]
    assert [len(ax.collections) for ax in shown] == [3, 3]  # one band per group
    for line in shown[0].lines:  # each line is its group's curve
        expected = table[(table["topic"] == 1) & (table["group"] == line.get_label())].sort_values("time")
        np.testing.assert_allclose(line.get_ydata(), expected["estimate"])


def test_key_findings_carry_the_regression(tmp_path):
    from corpuslab import report
    from corpuslab.findings import key_findings

    year, group, theta = _table()
    effects = te.fit(theta, time=year, group=group)
    out = report.Outputs(tmp_path)
    out.table(te.curve(effects), "topic_effect_curve")
    out.table(te.difference(effects, "RUS", "CHN"), "topic_effect_difference")
    finding = key_findings(tmp_path).set_index("section").loc["Topic prevalence by covariates", "finding"]
    assert finding.startswith("Topic ") and re.search(r"RUS − CHN: topic 1 \+0\.(09|10|11) \(95% CI", finding)
