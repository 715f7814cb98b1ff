#!/bin/sh
# The differential check against R survey 4.1 (README.md here). Needs R with r-cran-survey and a built
# enquete. Run from anywhere:
#
#   sh tests/reference/r/differential/run.sh [ENQUETE] [DESIGNS] [SEED] [OUT]
#
# ENQUETE defaults to target/release/enquete of this checkout (built if absent), DESIGNS to 92, SEED
# to 21, OUT to target/differential. The exit status is 1 when any figure is wrong.
#
#   sh tests/reference/r/differential/run.sh '' 92 21 target/differential     # the run in README.md
#   FIXED=1 sh tests/reference/r/differential/run.sh                           # regenerate fixed/
set -e
d=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$d/../../../.." && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  bin="$root/target/release/enquete"
  [ -x "$bin" ] || (cd "$root" && cargo build --release --bin enquete)
fi
designs=${2:-92}
seed=${3:-21}
out=${4:-$root/target/differential}
if [ -n "$FIXED" ]; then
  # The committed regression set: designs chosen for what they exercise (README.md, "fixed/").
  rm -rf "$d/fixed"
  exec Rscript "$d/differential.R" --enquete "$bin" --designs 92 --seed 21 --only 6,12,13,17,27 \
    --out "$out-fixed" --fixed "$d/fixed"
fi
exec Rscript "$d/differential.R" --enquete "$bin" --designs "$designs" --seed "$seed" --out "$out"
