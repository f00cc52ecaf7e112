"""Reference values for the RecStats tests.

Run with a Python that has scipy, numpy and gbstats (PyPI `gbstats` 0.8.0 was used):
    python3 -m venv /tmp/sv && /tmp/sv/bin/pip install scipy numpy gbstats
    /tmp/sv/bin/python Scripts/reference_values.py
Every number printed here is pasted into Tests/RecStatsTests/*.swift; the tests themselves need no Python.
"""
import numpy as np
from scipy import stats
from gbstats.models.statistics import RatioStatistic, SampleMeanStatistic
from gbstats.frequentist.tests import (
    FrequentistConfig, SequentialConfig, TwoSidedTTest, SequentialTwoSidedTTest,
)
from gbstats.utils import check_srm

print("== Normal (scipy.stats.norm) ==")
for x in [-8.0, -3.0, -1.0, 0.0, 0.5, 1.0, 2.0, 5.0]:
    print(f"cdf({x!r}) = {stats.norm.cdf(x)!r}")
for p in [1e-300, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-10]:
    print(f"quantile({p!r}) = {stats.norm.ppf(p)!r}")

print("== ChiSquare (scipy.stats.chi2.sf) ==")
for x, k in [(0.5, 1), (3.841458820694124, 1), (10.0, 1), (1.0, 2), (5.991464547107979, 2),
             (2.0, 3), (7.0, 3), (20.0, 3), (50.0, 3), (0.1, 5), (9.0, 10), (30.0, 10),
             (100.0, 50), (200.0, 100), (1000.0, 3)]:
    print(f"({x!r}, {k}, {stats.chi2.sf(x, k)!r}),")

print("== Student t (scipy.stats.t) ==")
for t, df in [(0.0, 3.0), (1.0, 1.0), (2.0, 2.0), (2.5, 5.0), (-1.7, 12.5), (3.0, 50.0),
              (4.0, 1234.5), (6.0, 30.0), (1.96, 100000.0)]:
    print(f"({t!r}, {df!r}, {stats.t.cdf(t, df)!r}),")
for p, df in [(0.975, 1.0), (0.975, 2.0), (0.975, 5.0), (0.975, 51.3), (0.995, 10.0),
              (0.6, 7.0), (1e-6, 4.0), (0.975, 40000.0), (1 - 1e-9, 3.0)]:
    print(f"({p!r}, {df!r}, {stats.t.ppf(p, df)!r}),")

print("== SRM (scipy.stats.chisquare and gbstats.utils.check_srm) ==")
for obs, shares in [([5000, 5000], [0.5, 0.5]), ([5100, 4900], [0.5, 0.5]), ([4500, 5500], [0.5, 0.5]),
                    ([2050, 2900, 5050], [0.2, 0.3, 0.5]), ([1000, 1100, 900], [1, 1, 1]),
                    ([120, 880], [0.1, 0.9]), ([500, 480, 7], [0.5, 0.5, 0.0])]:
    total = sum(obs)
    w = np.array(shares, dtype=float)
    keep = w > 0
    exp = w[keep] / w.sum() * total
    scipy_p = stats.chisquare(np.array(obs)[keep], exp, ddof=0).pvalue if keep.all() else None
    print(f"observed={obs} shares={shares} check_srm={check_srm(obs, shares)!r} scipy.chisquare={scipy_p!r}")


def moments_from_users(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return dict(n=len(x), sumX=x.sum(), sumY=y.sum(), sumX2=(x * x).sum(), sumY2=(y * y).sum(), sumXY=(x * y).sum())


def ratio_statistic(m):
    return RatioStatistic(
        n=m["n"],
        m_statistic=SampleMeanStatistic(n=m["n"], sum=m["sumX"], sum_squares=m["sumX2"]),
        d_statistic=SampleMeanStatistic(n=m["n"], sum=m["sumY"], sum_squares=m["sumY2"]),
        m_d_sum_of_products=m["sumXY"],
    )


print("== RatioMoments: ten explicit users, numpy's own moments (independent of the sums formula) ==")
xs = [0, 1, 0, 2, 1, 0, 3, 1, 0, 1]
ys = [1, 2, 1, 3, 2, 1, 5, 4, 2, 1]
m = moments_from_users(xs, ys)
print(m)
xa, ya = np.array(xs, float), np.array(ys, float)
mx, my = xa.mean(), ya.mean()
vx, vy = xa.var(ddof=1), ya.var(ddof=1)
cxy = np.cov(xa, ya, ddof=1)[0, 1]
delta = vx / my**2 - 2 * mx * cxy / my**3 + mx**2 * vy / my**4
print("numpy mean =", repr(xa.sum() / ya.sum()))
print("numpy per-user variance =", repr(delta), " meanVariance =", repr(delta / len(xs)))
print("gbstats RatioStatistic.variance =", repr(ratio_statistic(m).variance))
z = stats.norm.ppf(0.975)
print("normal 95% interval =", repr(xa.sum() / ya.sum() - z * np.sqrt(delta / len(xs))),
      repr(xa.sum() / ya.sum() + z * np.sqrt(delta / len(xs))))


def simulate(rng, n, p, ndcg=False):
    lists = rng.integers(1, 6, size=n)
    if ndcg:
        x = np.array([rng.beta(2, 5, size=k).sum() * p for k in lists])
    else:
        x = rng.binomial(lists, p)
    return moments_from_users(x, lists)


rng = np.random.default_rng(20240601)
datasets = {
    "hits": (simulate(rng, 2000, 0.10), simulate(rng, 2100, 0.115)),
    "ndcgSmall": (simulate(rng, 30, 1.0, ndcg=True), simulate(rng, 24, 1.2, ndcg=True)),
    "negative": (simulate(rng, 500, 0.12), simulate(rng, 480, 0.09)),
}
for name, (c, t) in datasets.items():
    print(f"== dataset {name} ==")
    print("control  ", {k: (int(v) if k == "n" else float(v)) for k, v in c.items()})
    print("treatment", {k: (int(v) if k == "n" else float(v)) for k, v in t.items()})
    for label, mm in (("control", c), ("treatment", t)):
        s = ratio_statistic(mm)
        print(f"  {label}: mean={s.mean!r} variance={s.variance!r} meanVariance={s.variance / s.n!r}")
    a, b = ratio_statistic(c), ratio_statistic(t)
    fixed = TwoSidedTTest(a, b, FrequentistConfig(alpha=0.05)).compute_result()
    fixed_test = TwoSidedTTest(a, b, FrequentistConfig(alpha=0.05))
    print(f"  fixed: expected={fixed.expected!r} ci={[float(v) for v in fixed.ci]!r} p={float(fixed.p_value)!r} "
          f"se={float(fixed.uplift.stddev)!r} dof={float(fixed_test.dof)!r}")
    seq = SequentialTwoSidedTTest(a, b, SequentialConfig(alpha=0.05, sequential_tuning_parameter=5000)).compute_result()
    print(f"  sequential: expected={seq.expected!r} ci={[float(v) for v in seq.ci]!r} p={float(seq.p_value)!r} "
          f"se={float(seq.uplift.stddev)!r}")
