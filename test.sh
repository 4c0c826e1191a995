#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "tests: N passed, N failed, N skipped".
# Needs only the .NET SDK. When PostgreSQL is installed, scripts/with-postgres.sh starts a throw-away server
# for the PostgreSQL store tests; without it those tests are skipped with a reason (or fail under CI=true or
# OMNIREPORT_REQUIRE_POSTGRES=1). Without Debian's Chromium (/usr/bin/chromium) the dashboard's browser tests are
# skipped the same way (a failure under CI=true or OMNIREPORT_REQUIRE_CHROMIUM=1).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$root/scripts/with-postgres.sh" dotnet test OmniReport.slnx -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
read -r passed failed skipped < <(awk '
  /^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  f += $(i+1) + 0
      if ($i == "Passed:")  p += $(i+1) + 0
      if ($i == "Skipped:") s += $(i+1) + 0
    }
  }
  END { print p + 0, f + 0, s + 0 }' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
