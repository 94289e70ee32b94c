#!/usr/bin/env python3
"""Writes test/fixtures/poisson-reference.json: SciPy's Poisson quantiles and CDF values.

The engine's `peakRequestsPerSecond(avg, q)` must equal `scipy.stats.poisson.ppf(q, avg)`, the
smallest integer k with `pdtr(k, avg) >= q`, and its `poissonCdf` must reproduce `scipy.special.pdtr`.
This script records, for a few thousand (mu, q) pairs, SciPy's ppf and its pdtr at k and k - 1, and
checks every answer by bracketing, pdtr(k - 1) < q <= pdtr(k):

* with SciPy's own pdtr (the definition the engine follows), and
* on a subset, independently, with mpmath at 40 significant digits (regularized upper incomplete
  gamma: P[X <= k] = Q(k + 1, mu)).

SciPy's ppf is `ceil(pdtrik(q, mu))` (CDFLIB's inverse) followed by one check with Cephes'
`pdtr(vals - 1, mu) >= q`. Two things make it differ from "smallest k with pdtr(k) >= q":

* Boundary cases (q on or one ulp beside a CDF value): pdtrik stops at a tolerance and can land one
  off. The fixture's expected k is then the smallest k with pdtr(k) >= q, and the case is listed in
  summary.scipyPpfDiffers.
* The far upper tail of large means (mu >~ 1e6, 1 - q <~ 3e-6): Cephes stops its igam power series
  after 2000 terms, so pdtr there is too high by up to 75% of 1 - CDF, while pdtrik is accurate.
  The engine then finds the quantile with an accurate CDF (Temme's expansion) and applies SciPy's
  final pdtr check, which reproduces SciPy's ppf. Expected CDF values there come from mpmath.

Requires SciPy (1.17.1 was used) and mpmath. Run from the repository root:
    python3 scripts/generate-poisson-reference.py
"""

import json
import math
import os
import sys

import mpmath
import numpy as np
import scipy
from scipy import special
from scipy.stats import poisson

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "poisson-reference.json")
SEED = 20260520
MP_DIGITS = 40
MP_SUBSET_EVERY = 3  # mpmath check on every 3rd grid or random case, and on every tail case
MACHEP = 2.0**-53

QUANTILES = [1e-9, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.999999]


def pdtr(k, mu):
    return float(special.pdtr(k, mu))


def scipy_ppf(q, mu):
    return int(poisson.ppf(q, mu))


def series_truncates(k, mu):
    """Whether Cephes computes pdtr(k, mu) as 1 - igam_series(k + 1, mu) and stops that series at
    its 2000-term limit (mirrors igam.h: a > 200, x < a, outside the asymptotic band)."""
    a, x = k + 1.0, mu
    if not (a > 200 and 0 < x < a and (a - x) / a >= 4.5 / math.sqrt(a)):
        return False
    r, c, ans = a, 1.0, 1.0
    for _ in range(2000):
        r += 1.0
        c *= x / r
        ans += c
        if c <= MACHEP * ans:
            return False
    return True


def mp_cdf(k, mu):
    """P[X <= k] for X ~ Poisson(mu) with mpmath: Q(k + 1, mu), mu taken exactly."""
    if k < 0:
        return mpmath.mpf(0)
    if mu == 0:
        return mpmath.mpf(1)
    return mpmath.gammainc(k + 1, mpmath.mpf(mu), mpmath.inf, regularized=True)


def accurate_cdf(k, mu):
    """SciPy's pdtr, or mpmath's value where Cephes truncates its series."""
    if series_truncates(k, mu):
        return float(mp_cdf(k, mu))
    return pdtr(k, mu)


def smallest_k(q, mu, start, cdf):
    """Smallest k with cdf(k, mu) >= q, by galloping from `start` and bisecting."""
    if cdf(start, mu) >= q:
        hi, step = start, 1
        while True:
            if hi == 0:
                return 0
            lo = max(hi - step, 0)
            if cdf(lo, mu) < q:
                break
            hi, step = lo, step * 2
    else:
        lo, step = start, 1
        while True:
            hi = lo + step
            if cdf(hi, mu) >= q:
                break
            lo, step = hi, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cdf(mid, mu) >= q:
            hi = mid
        else:
            lo = mid
    return hi


def expected_quantile(q, mu, ppf):
    """SciPy's recipe with an accurate inverse: vals = smallest k with accurate_cdf(k) >= q, then
    vals - 1 if Cephes' pdtr(vals - 1) >= q. Returns (k, whether that final check fired)."""
    if mu == 0:
        return 0, False
    vals = smallest_k(q, mu, ppf, accurate_cdf)
    if vals > 0 and pdtr(vals - 1, mu) >= q:
        return vals - 1, True
    return vals, False


def mu_values():
    values = [0.0]
    values += [float(v) for v in np.logspace(-3, 9, 97)]
    values += [float(n) for n in [1, 2, 3, 5, 7, 10, 15, 20, 21, 50, 100, 199, 200, 201, 250, 1000]]
    values += [float(n) for n in [12345, 1e5, 1e6, 1234567, 1e7, 1e8, 123456789, 5e8, 1e9]]
    for n in [1.0, 10.0, 20.0, 200.0, 1e4, 1e6, 1e9]:
        values += [math.nextafter(n, 0.0), math.nextafter(n, math.inf), n * (1 + 1e-9), n * (1 - 1e-9)]
    values += [3.7, 0.1, 0.5, 12.5, 99.5, 1e6 + 0.5]
    return sorted(v for v in set(values) if 0 <= v <= 1e9)


def boundary_cases(rng):
    """q placed exactly on, or one ulp either side of, a CDF value: the boundary between k and k+1."""
    cases = []
    mus = list(10 ** rng.uniform(-3, 9, 140)) + [10.0, 200.0, 1e4, 1e6, 1e8, 1e9]
    for mu in mus:
        mu = float(mu)
        for z in (-3.0, -1.0, 0.0, 1.0, 1.645, 2.326, 3.5):
            k = max(0, int(round(mu + z * math.sqrt(mu))))
            c = pdtr(k, mu)
            if not 0 < c < 1:
                continue
            for q in (c, math.nextafter(c, 0.0), math.nextafter(c, 1.0)):
                if 0 < q < 1:
                    cases.append((mu, q, "boundary"))
    return cases


def all_cases():
    rng = np.random.default_rng(SEED)
    cases = [(mu, q, "grid") for mu in mu_values() for q in QUANTILES]
    for _ in range(900):
        mu = float(10 ** rng.uniform(-3, 9))
        tail = rng.uniform()
        if tail < 0.2:
            q = float(10 ** rng.uniform(-12, -1))
        elif tail < 0.4:
            q = float(1 - 10 ** rng.uniform(-12, -1))
        else:
            q = float(rng.uniform(0.001, 0.999))
        cases.append((mu, q, "random"))
    cases += boundary_cases(rng)
    return cases


def main():
    mpmath.mp.dps = MP_DIGITS
    rows = []
    scipy_differs = []
    final_check_cases = []
    mp_checked = 0
    mp_disagreements = []
    for index, (mu, q, kind) in enumerate(all_cases()):
        ppf = scipy_ppf(q, mu)
        k, final_check_fired = expected_quantile(q, mu, ppf)
        if k != ppf:
            scipy_differs.append({"mu": mu, "q": q, "k": k, "scipyPpf": ppf, "kind": kind})
        tail = series_truncates(k, mu) or (k > 0 and series_truncates(k - 1, mu))
        cdf_k = accurate_cdf(k, mu)
        cdf_below = accurate_cdf(k - 1, mu) if k > 0 else None
        if final_check_fired:
            final_check_cases.append({"mu": mu, "q": q, "k": k, "kind": kind})
            # SciPy's pdtr reaches q at k; the accurate CDF only at k + 1.
            bracket = pdtr(k, mu) >= q and cdf_k < q <= accurate_cdf(k + 1, mu)
        else:
            bracket = cdf_k >= q and (cdf_below is None or cdf_below < q)
        if not bracket:
            raise AssertionError(f"bracket fails: mu={mu!r} q={q!r} k={k}")
        mp_ok = None
        if kind != "boundary" and (index % MP_SUBSET_EVERY == 0 or tail):
            mp_checked += 1
            # Where SciPy's final pdtr check fired, its answer is the true quantile minus one.
            k_true = k + 1 if final_check_fired else k
            mq = mpmath.mpf(q)
            mp_ok = bool(mp_cdf(k_true - 1, mu) < mq <= mp_cdf(k_true, mu))
            if not mp_ok:
                mp_disagreements.append({"mu": mu, "q": q, "k": k, "kind": kind})
        rows.append([mu, q, k, ppf, cdf_k, cdf_below, kind, tail, mp_ok])

    data = {
        "description": (
            "Poisson quantiles and CDF values from SciPy, written by scripts/generate-poisson-reference.py. "
            "Each case: mu, q, k = the engine's expected answer (SciPy's ppf, or the smallest k with "
            "pdtr(k, mu) >= q where SciPy's pdtrik tolerance puts ppf one off: summary.scipyPpfDiffers), "
            "scipyPpf = scipy.stats.poisson.ppf(q, mu), cdfK and cdfBelow = P[X <= k] and P[X <= k - 1] "
            "(SciPy's pdtr, or mpmath where tail is true, i.e. where Cephes truncates its series; cdfBelow "
            "null for k = 0), kind (grid, random, boundary: q on or one ulp beside a CDF value), "
            "mpBracket = whether mpmath at 40 digits confirms CDF(k' - 1) < q <= CDF(k') with k' = k, or "
            "k + 1 where SciPy's final pdtr check fired (summary.scipyFinalCheckFired); null if unchecked."
        ),
        "generator": {
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "mpmath": mpmath.__version__,
            "python": sys.version.split()[0],
            "seed": SEED,
        },
        "summary": {
            "cases": len(rows),
            "scipyPpfDiffers": scipy_differs,
            "scipyFinalCheckFired": final_check_cases,
            "mpChecked": mp_checked,
            "mpDisagreements": mp_disagreements,
        },
        "columns": ["mu", "q", "k", "scipyPpf", "cdfK", "cdfBelow", "kind", "tail", "mpBracket"],
        "cases": rows,
    }
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"))
        handle.write("\n")
    size = os.path.getsize(OUTPUT)
    print(
        f"wrote {len(rows)} cases ({size / 1e6:.2f} MB); SciPy ppf differs from k in {len(scipy_differs)} "
        f"({sum(d['kind'] != 'boundary' for d in scipy_differs)} outside boundary cases); final pdtr check "
        f"fired in {len(final_check_cases)}; mpmath checked {mp_checked}, disagreements {len(mp_disagreements)}"
    )
    for item in scipy_differs:
        if item["kind"] != "boundary":
            print("  SciPy ppf differs:", item)
    for item in mp_disagreements:
        print("  mpmath disagrees:", item)
    if mp_disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
