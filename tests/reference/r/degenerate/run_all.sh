#!/bin/sh
# Regenerates every file in tests/reference/r/degenerate (needs R + r-cran-survey 4.1.1). Run from anywhere.
# Deterministic: a rerun is byte-identical (no timings in the logs).
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/make_data.R"        # zero_weights.csv, zero_group.csv
Rscript "$d/reference.R"        # zw_* and zg_*: expected.csv, compare.csv, test.csv, log.txt
Rscript "$d/print_source.R"     # survey_source.txt
