#!/usr/bin/env python3
"""Generate the small unweighted fixture data.csv (seeded, deterministic).

Columns: id, agegroup, lang, q_a, q_b, q_c, pref, score (comma-delimited,
missing values are empty cells).

Built-in edge cases:
  * agegroup: a few empty cells (missing grouping value).
  * q_a: selected by everyone in agegroup "young" (estimate 1 in that group).
  * q_c: selected by nobody in agegroup "old" (estimate 0 in that group).
  * q_a/q_b/q_c: some empty cells (item missing -> excluded from that item's base).
  * pref: code "99" (declared missing in the codebook) and a few empty cells.
  * score: integers 1-10 with some empty cells.

Run from the repository root:
    python3 tests/reference/python/unweighted/make_data.py
"""
import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "data.csv"
SEED = 20231125
N = 400


def main():
    rng = np.random.default_rng(SEED)

    agegroup = rng.choice(["young", "middle", "old"], size=N, p=[0.15, 0.45, 0.40]).astype(object)
    lang = rng.choice(["NL", "EN"], size=N, p=[0.75, 0.25]).astype(object)

    q_a = (rng.random(N) < 0.6).astype(int).astype(object)
    q_b = (rng.random(N) < 0.35).astype(int).astype(object)
    q_c = (rng.random(N) < 0.15).astype(int).astype(object)
    q_a[agegroup == "young"] = 1  # everyone in "young" selects q_a
    q_c[agegroup == "old"] = 0    # nobody in "old" selects q_c

    pref = rng.choice(["1", "2", "3", "99"], size=N, p=[0.4, 0.3, 0.2, 0.1]).astype(object)

    base = {"young": 7.0, "middle": 6.0, "old": 5.0}
    score = np.array(
        [int(np.clip(round(base[g] + rng.normal(0, 2)), 1, 10)) for g in agegroup],
        dtype=object,
    )

    # Missing values (empty cells). Item / value missingness is drawn after the
    # edge-case forcing, so the "all selected"/"none selected" groups stay so.
    for arr, k in [(q_a, 20), (q_b, 20), (q_c, 20), (pref, 4), (score, 25)]:
        arr[rng.choice(N, size=k, replace=False)] = ""
    agegroup[rng.choice(N, size=8, replace=False)] = ""

    with OUT.open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "agegroup", "lang", "q_a", "q_b", "q_c", "pref", "score"])
        for i in range(N):
            w.writerow([i + 1, agegroup[i], lang[i], q_a[i], q_b[i], q_c[i], pref[i], score[i]])
    print(f"wrote {OUT} ({N} rows)")


if __name__ == "__main__":
    main()
