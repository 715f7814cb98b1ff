#!/bin/sh
# Regenerates every file in tests/reference/r/domains (needs R + r-cran-survey 4.1.1). Run from anywhere.
# Both scripts are deterministic: a rerun is byte-identical (data.csv, every *.csv and log.txt).
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/make_data.R"      # -> data.csv
Rscript "$d/reference.R"      # -> expected.csv expected_filtered.csv against.csv against_health.csv pairs.csv log.txt
