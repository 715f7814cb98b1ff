#!/bin/sh
# Regenerates every file in tests/reference/r/compare (needs R + r-cran-survey 4.1.1; a built enquete for
# the 200,000-row file). Run from anywhere. Each script writes next to itself; timings go to *_log.txt.
set -e
d=$(cd "$(dirname "$0")" && pwd)
root="$d/../../../.."
Rscript "$d/health.R"
Rscript "$d/inwoners.R" "$root/samples/inwonersenquete-2023.csv" "$d/sample"
# the large data file is not committed: regenerate it (byte-identical for this seed)
if [ ! -x "$root/target/release/enquete" ]; then (cd "$root" && cargo build --release); fi
"$root/target/release/enquete" generate --rows 200000 --seed 200000 --out /tmp/enquete-large.csv
Rscript "$d/inwoners.R" /tmp/enquete-large.csv "$d/large"
Rscript "$d/apistrat.R"
