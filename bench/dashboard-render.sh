#!/usr/bin/env bash
# The dashboard's first render on the data of `omnireport demo` (21 days, 8,000 interactions), timed by the browser
# itself (performance.mark once every panel has drawn, from navigation start), best of three loads after a warm-up,
# side by side with a baseline page: the baseline's index.html, dashboard.js and dashboard.css (from git, default
# ae4f38b: the page before issue #12's second part) and this tree's are loaded alternately against one server and one
# database in one run. Fails when this tree's best load takes 1 s or more (issue #12). Needs /usr/bin/chromium.
#   bench/dashboard-render.sh [BASELINE_GIT_REF]
# OMNIREPORT_DASHBOARD_DEMO_SCALE=0 runs it on the tests' smaller data (14 days, 2,500 interactions).
# OMNIREPORT_UPDATE_SCREENSHOT=1 also rewrites docs/dashboard.png.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
baseline_ref="${1:-ae4f38b}"
baseline="$(mktemp -d)"
trap 'rm -rf "$baseline"' EXIT
for f in index.html dashboard.js dashboard.css; do
  git show "$baseline_ref:src/OmniReport.Api/Dashboard/Assets/$f" > "$baseline/$f"
done
OMNIREPORT_DASHBOARD_DEMO_SCALE="${OMNIREPORT_DASHBOARD_DEMO_SCALE:-1}" OMNIREPORT_CHECK_RENDER_TIME=1 OMNIREPORT_RENDER_BASELINE="$baseline" \
  dotnet test tests/OmniReport.Dashboard.Tests -c Release --nologo \
  --filter "FullyQualifiedName~First_render_is_timed_by_the_browser" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "first render|requests \(|Passed!|Failed!|Skipped|Error Message"
