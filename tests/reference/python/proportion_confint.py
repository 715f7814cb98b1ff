#!/usr/bin/env python3
"""Reference values for binomial proportion confidence intervals.

Writes proportion_confint.csv (next to this script) with columns
    x,n,alpha,method,lower,upper
computed by statsmodels.stats.proportion.proportion_confint(x, n, alpha, method)
(two-sided). `method` holds the statsmodels method name. Numbers are printed
with 17 significant digits ("%.17g"), so they round-trip exactly to f64.

Run from the repository root:
    python3 tests/reference/python/proportion_confint.py
"""
import csv
from pathlib import Path

import numpy
import scipy
import statsmodels
from statsmodels.stats.proportion import proportion_confint

OUT = Path(__file__).resolve().parent / "proportion_confint.csv"

METHODS = ["wilson", "beta", "agresti_coull", "jeffreys", "normal"]
ALPHAS = [0.05, 0.10, 0.01]
NS = [1, 2, 5, 10, 30, 1000, 200000, 1000000]


def xs_for(n):
    """Edge cases (0, 1, n-1, n) plus a few interior counts."""
    cand = [0, 1, 2, 5, n // 3, n // 2, n - 5, n - 2, n - 1, n]
    return sorted({x for x in cand if 0 <= x <= n})


def fmt(v):
    v = float(v)
    if v != v:  # NaN -> empty field, as in the reference format
        return ""
    return "%.17g" % v


def main():
    rows = 0
    with OUT.open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["x", "n", "alpha", "method", "lower", "upper"])
        for n in NS:
            for x in xs_for(n):
                for alpha in ALPHAS:
                    for method in METHODS:
                        lo, up = proportion_confint(x, n, alpha=alpha, method=method)
                        w.writerow([x, n, repr(alpha), method, fmt(lo), fmt(up)])
                        rows += 1
    print(f"wrote {OUT} ({rows} rows) with statsmodels {statsmodels.__version__}, "
          f"scipy {scipy.__version__}, numpy {numpy.__version__}")


if __name__ == "__main__":
    main()
