#!/bin/sh
# Regenerates every R reference output in tests/reference/r (needs R + r-cran-survey).
set -e
d=$(dirname "$0")
Rscript "$d/quantiles.R"
Rscript "$d/health/make_health.R"
Rscript "$d/health/reference.R"
Rscript "$d/lonely/make_lonely.R"
Rscript "$d/lonely/reference.R"
