#!/bin/sh
# Regenerates every file in tests/reference/r/weighting (needs R + r-cran-survey 4.1.1). Run from anywhere.
# All outputs are byte-identical on a rerun except the timing line of reference_log.txt.
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/make_data.R"        # data.csv, marges.csv, cellen.csv
Rscript "$d/reference.R"        # <design>_{weights,expected,compare,test,against}.csv, variance_check.csv,
                                # rake_function_check.csv, reference_log.txt
Rscript "$d/edge_cases.R"       # edge_cases.txt
Rscript "$d/print_source.R"     # survey_source.txt
