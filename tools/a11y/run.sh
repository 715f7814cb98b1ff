#!/usr/bin/env bash
# The full accessibility audit (not part of `cargo test`: it needs node and Chromium).
#   tools/a11y/run.sh [ENQUETE_BINARY]        (default: target/release/enquete)
# Writes the sample's reports (Dutch, English, the agency-style codebook with --letters, a
# --no-charts report and a batch) under target/a11y/, audits every index.html at 1280 and 390 px
# and prints one line per page and width. Exit code 0 when there is no WCAG 2.0/2.1 A or AA
# violation and no page-wide horizontal scroll. SCREENSHOTS=docs/screenshots refreshes the
# screenshots the README links.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(readlink -f "${1:-$root/target/release/enquete}")
out=${A11Y_OUT:-$root/target/a11y}
[ -x "$bin" ] || { echo "no enquete binary at $bin (cargo build --release)" >&2; exit 2; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "Chromium not found: apt-get install chromium" >&2; exit 2; }
if [ ! -d "$here/node_modules/axe-core" ] || [ ! -d "$here/node_modules/playwright-core" ]; then
  # playwright-core never downloads a browser; the audit drives Debian's /usr/bin/chromium.
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
mkdir -p "$out"
cd "$root"
S=samples/inwonersenquete-2023.csv
run() { "$bin" "$@" --no-progress >/dev/null; }
run report $S --codebook samples/codebook.toml --out "$out/nl"
run report $S --codebook samples/codebook.toml --out "$out/en" --language en
run report $S --codebook samples/codebook-bureau.toml --out "$out/bureau" --letters
run report $S --codebook samples/codebook-bureau.toml --out "$out/bureau-en" --letters --language en
run report $S --codebook samples/codebook.toml --out "$out/no-charts" --no-charts
run batch samples/project.toml --out "$out/batch"
pages=("$out/nl/index.html" "$out/en/index.html" "$out/bureau/index.html" "$out/bureau-en/index.html"
       "$out/no-charts/index.html" "$out/batch/index.html" "$out/batch/2023/index.html")
node "$here/audit.js" --out "$out/audit" "${pages[@]}" && status=0 || status=$?

# SCREENSHOTS=docs/screenshots: refresh the screenshots the README links (desktop and phone).
if [ -n "${SCREENSHOTS:-}" ]; then
  shots=$(cd "$root" && mkdir -p "$SCREENSHOTS" && cd "$SCREENSHOTS" && pwd)
  cp "$out/audit/nl-index-1280.png" "$shots/report-nl.png"
  cp "$out/audit/en-index-1280.png" "$shots/report-en.png"
  cp "$out/audit/bureau-index-1280.png" "$shots/report-letters.png"
  cp "$out/audit/nl-index-390.png" "$shots/report-nl-phone.png"
  cp "$out/nl/charts/tevreden-wijk.png" "$shots/dotplot-wijk.png"
  [ -f "$out/audit/batch-index-1280.png" ] && cp "$out/audit/batch-index-1280.png" "$shots/kerncijfers.png"
  echo "screenshots refreshed in $SCREENSHOTS"
fi
exit $status
