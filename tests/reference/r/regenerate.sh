#!/bin/sh
# Regenerates every R reference output in tests/reference/r (needs R + r-cran-survey).
set -e
d=$(dirname "$0")
Rscript "$d/quantiles.R"
Rscript "$d/health/make_health.R"
Rscript "$d/health/reference.R"
Rscript "$d/lonely/make_lonely.R"
Rscript "$d/lonely/reference.R"
# The bundled sample and a 200,000-row generated file (needs a built enquete: cargo build --release).
Rscript "$d/inwonersenquete.R" "$d/../../../samples/inwonersenquete-2023.csv" "$d/sample/expected.csv"
"$d/../../../target/release/enquete" generate --rows 200000 --seed 200000 --out /tmp/enquete-large.csv
Rscript "$d/inwonersenquete.R" /tmp/enquete-large.csv "$d/large/expected.csv"
