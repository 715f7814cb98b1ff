#!/bin/sh
# Regenerates every output in tests/reference/r/extra (needs R 4.2.2 + r-cran-survey 4.1.1). Run from anywhere.
# Reads ../weighting/{data,marges,cellen}.csv, ../weighting/{rake,poststratify}_{weights,expected}.csv,
# ../domains/{data,expected}.csv and sources ../compare/compare_common.R (-> ../common.R); writes only here.
# Deterministic: a rerun is byte-identical (log.txt included; it has no timings). Takes ~6 s.
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/reference.R"   # -> std_rake_compare.csv std_poststratify_compare.csv std_variance_check.csv
                           #    std_variance_rows.csv rest_domains.csv rest_rake.csv data_zero.csv
                           #    poststratify_zero.csv log.txt
