#!/bin/sh
# Regenerates every file in tests/reference/r/agency (needs R + r-cran-survey 4.1.1; GNU PSPP for the .sav).
# Run from anywhere. data.csv, bevolking.csv and every *_weights.csv / *_expected.csv / log.txt are
# byte-identical on a rerun; agency.sav carries PSPP's creation date and time.
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/make_data.R"          # -> data.csv (Windows-1252), bevolking.csv
Rscript "$d/reference.R"          # -> {rake,linear,logit,trim}_{weights,expected}.csv, log.txt
(cd "$d" && pspp make.sps)        # -> agency.sav
