#!/usr/bin/env bash
# Lighthouse's four scores for the default theme (issue #16: each at least 98): the showcase site
# (tests/showcase.py) built, served over HTTP under a sub-path as GitHub Pages serves a project
# site, and audited with npm's Lighthouse in Debian's chromium, on a phone (Lighthouse's default,
# throttled) and a desktop, on the home page and an article with a picture. Each score is the
# median of RUNS runs (default 3): a throttled run's performance score moves by a few points with
# the machine's load, and Lighthouse's documentation advises the median of several runs.
#   bash scripts/lighthouse.sh                     # prints the scores; exits 1 if one is below 98
#   RUNS=5 KEEP_REPORTS=dir bash scripts/lighthouse.sh   # more runs; keep each JSON report in dir
# Lighthouse 12.2.3 (13 needs Node 22) is installed by scripts/test.sh into .npm-tools/; not a test
# of the suite: its scores depend on the machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
lighthouse=.npm-tools/node_modules/.bin/lighthouse
[ -x "$lighthouse" ] || { echo "scripts/lighthouse.sh: no $lighthouse: run scripts/test.sh (it installs it)" >&2; exit 2; }
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
minimum=98
runs=${RUNS:-3}
pages=("" "articles/sohar-port-strike-ends/")

work=$(mktemp -d)
server=""
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Build for the address it is served at (a canonical link on another host would cost SEO points
# that a published site does not lose), then serve it there until this script ends.
.venv/bin/python - "$work" >"$work/origin" <<'PY' &
import socket, sys
from pathlib import Path
sys.path.insert(0, "tests")
from http.server import ThreadingHTTPServer
from serving import handler_for
from showcase import PREFIX, build_showcase

work = Path(sys.argv[1])
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
origin = f"http://127.0.0.1:{port}"
out = build_showcase(work, base_url=origin + PREFIX)
server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(out, PREFIX))
print(origin + PREFIX, flush=True)
server.serve_forever()
PY
server=$!
for _ in $(seq 1 600); do
    [ -s "$work/origin" ] && break
    kill -0 "$server" 2>/dev/null || { echo "scripts/lighthouse.sh: the showcase site did not build" >&2; exit 2; }
    sleep 0.1
done
site=$(head -n1 "$work/origin")

failed=0
printf '%-9s %-36s %5s %5s %5s %5s\n' device page perf a11y best seo
for device in mobile desktop; do
    preset=(); [ "$device" = desktop ] && preset=(--preset=desktop)
    for page in "${pages[@]}"; do
        reports=()
        for run in $(seq 1 "$runs"); do
            report="$work/$device-$(echo "${page:-home}" | tr '/' '_')-$run.json"
            "$lighthouse" "$site$page" "${preset[@]}" --quiet --output=json --output-path="$report" \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
            reports+=("$report")
        done
        [ -z "${KEEP_REPORTS:-}" ] || { mkdir -p "$KEEP_REPORTS"; cp "${reports[@]}" "$KEEP_REPORTS/"; }
        # each category's median score (0–100), then what cost points in any run: audits below 1
        node - "$device" "/${page}" "$minimum" "${reports[@]}" <<'JS' || failed=1
const [device, page, minimum, ...reports] = process.argv.slice(2);
const runs = reports.map(path => require(path));
const ids = ["performance", "accessibility", "best-practices", "seo"];
const median = values => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const scores = ids.map(id => median(runs.map(r => Math.round(r.categories[id].score * 100))));
console.log([device.padEnd(9), page.padEnd(36), ...scores.map(s => String(s).padStart(5))].join(" "));
const lost = new Map();
for (const r of runs) {
  for (const id of ids) {
    for (const ref of r.categories[id].auditRefs) {
      const audit = r.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        const line = lost.get(audit.id) || {id, title: audit.title, values: []};
        line.values.push(audit.displayValue || audit.score);
        lost.set(audit.id, line);
      }
    }
  }
}
for (const [audit, line] of lost) console.log(`          ${line.id}: ${audit}: ${line.title} (${line.values.join(", ")})`);
process.exit(scores.every(s => s >= Number(minimum)) ? 0 : 1);
JS
    done
done
if [ "$failed" -ne 0 ]; then
    echo "scripts/lighthouse.sh: a score is below $minimum" >&2
    exit 1
fi
echo "every score is at least $minimum (median of $runs runs)"
