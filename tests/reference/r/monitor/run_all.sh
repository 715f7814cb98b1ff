#!/bin/sh
# Regenerates every file in tests/reference/r/monitor (needs R + r-cran-survey 4.1.1). Run from anywhere.
# Both scripts are deterministic: a rerun is byte-identical.
set -e
d=$(cd "$(dirname "$0")" && pwd)
Rscript "$d/make_data.R"      # -> data.csv marges.csv uitgenodigd.csv benchmark.csv
Rscript "$d/reference.R"      # -> {srs,strat,clus,rake}_estimates.csv {strat,clus,rake}_benchmark.csv alpha.csv response.csv log.txt
