#!/usr/bin/env python3
"""Expected estimates for the unweighted fixture, computed with statsmodels.

Reads codebook.toml and data.csv next to this script and writes expected.csv
in the reference format (see the README):
    variable,category,by,group,n,estimate,se,ci_lower,ci_upper,ci_method,level,df,deff

Proportions (multi items, categorical codes):
    n = number of rows in the domain (valid item, and valid group value for groups)
    estimate = x / n, se = sqrt(p (1 - p) / n)
    ci = statsmodels.stats.proportion.proportion_confint(x, n, alpha, method) with
         wilson (level 0.95 and 0.90), beta -> "clopper-pearson", agresti_coull ->
         "agresti-coull", jeffreys, normal -> "wald" (level 0.95)
    df = n - 1, deff = 1
Means (numeric):
    estimate = mean, se = std(ddof=1) / sqrt(n),
    ci = DescrStatsW(values).tconfint_mean(alpha) (t with n - 1 df), ci_method "t",
    level 0.95 and 0.90; df = n - 1, deff = 1

Run from the repository root:
    python3 tests/reference/python/unweighted/reference.py
"""
import csv
import math
import tomllib
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

HERE = Path(__file__).resolve().parent
HEADER = ["variable", "category", "by", "group", "n", "estimate", "se",
          "ci_lower", "ci_upper", "ci_method", "level", "df", "deff"]

# (our ci_method name, statsmodels method, level)
PROP_METHODS = [
    ("wilson", "wilson", 0.95),
    ("wilson", "wilson", 0.90),
    ("clopper-pearson", "beta", 0.95),
    ("agresti-coull", "agresti_coull", 0.95),
    ("jeffreys", "jeffreys", 0.95),
    ("wald", "normal", 0.95),
]
MEAN_LEVELS = [0.95, 0.90]


def num(v):
    v = float(v)
    if not math.isfinite(v):
        return ""  # NA/NaN -> empty field
    return "%.17g" % v


def load():
    with (HERE / "codebook.toml").open("rb") as fh:
        cb = tomllib.load(fh)
    assert "design" not in cb, "this fixture is unweighted"
    data = cb.get("data", {})
    with (HERE / "data.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=data.get("delimiter", ",")))
    assert data.get("decimal", ".") == "."
    return cb, rows


def cell_missing(var, raw):
    return raw.strip() == "" or raw in var.get("missing", [])


def categorical_value(var, raw):
    """Declared code, or None when missing; an undeclared code is an error."""
    if cell_missing(var, raw):
        return None
    codes = [v["code"] for v in var["values"]]
    if raw not in codes:
        raise ValueError(f"{var['name']}: undeclared code {raw!r}")
    return raw


def indicators(var, rows):
    """Yield (category, list of 0/1/None per row) for a proportion rows variable."""
    if var["type"] == "multi":
        for item in var["items"]:
            col = item["column"]
            vals = []
            for r in rows:
                raw = r[col]
                vals.append(None if raw.strip() == "" else int(raw == var["selected"]))
            yield col, vals
    elif var["type"] == "categorical":
        cats = [categorical_value(var, r[var["name"]]) for r in rows]
        for v in var["values"]:
            yield v["code"], [None if c is None else int(c == v["code"]) for c in cats]
    else:
        raise ValueError(var["type"])


def numeric_values(var, rows):
    out = []
    for r in rows:
        raw = r[var["name"]]
        out.append(None if cell_missing(var, raw) else float(raw))
    return out


def domains(cb, vars_by_name, table, rows):
    """Yield (by, group, row mask) for the whole sample and each group."""
    yield "(all)", "(all)", [True] * len(rows)
    for by in table.get("by", []):
        gvar = vars_by_name[by]
        if gvar["type"] != "categorical":
            raise ValueError("fixture only uses categorical grouping variables")
        gvals = [categorical_value(gvar, r[by]) for r in rows]
        for v in gvar["values"]:
            yield by, v["code"], [g == v["code"] for g in gvals]


def prop_rows(variable, category, by, group, vals):
    n = len(vals)
    x = int(sum(vals))
    p = x / n
    se = math.sqrt(p * (1 - p) / n)
    for name, sm_method, level in PROP_METHODS:
        lo, up = proportion_confint(x, n, alpha=1 - level, method=sm_method)
        yield [variable, category, by, group, n, num(p), num(se), num(lo), num(up),
               name, repr(level), n - 1, 1]


def mean_rows(variable, by, group, vals):
    y = np.asarray(vals, dtype=float)
    n = len(y)
    d = DescrStatsW(y)
    est = d.mean
    se = np.std(y, ddof=1) / math.sqrt(n)
    assert math.isclose(se, d.std_mean, rel_tol=1e-13)
    assert math.isclose(est, np.mean(y), rel_tol=1e-15)
    for level in MEAN_LEVELS:
        lo, up = d.tconfint_mean(alpha=1 - level)
        yield [variable, "", by, group, n, num(est), num(se), num(lo), num(up),
               "t", repr(level), n - 1, 1]


def main():
    cb, rows = load()
    vars_by_name = {v["name"]: v for v in cb["variables"]}
    out = []
    for table in cb["tables"]:
        var = vars_by_name[table["rows"]]
        doms = list(domains(cb, vars_by_name, table, rows))
        if var["type"] == "numeric":
            y = numeric_values(var, rows)
            for by, group, mask in doms:
                vals = [v for v, m in zip(y, mask) if m and v is not None]
                out.extend(mean_rows(var["name"], by, group, vals))
        else:
            for category, ind in indicators(var, rows):
                for by, group, mask in doms:
                    vals = [v for v, m in zip(ind, mask) if m and v is not None]
                    out.extend(prop_rows(var["name"], category, by, group, vals))
    path = HERE / "expected.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(out)
    print(f"wrote {path} ({len(out)} rows) with statsmodels {statsmodels.__version__}, "
          f"scipy {scipy.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
