#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: initdb into a temporary folder, start it on a free
# port (socket in that folder, TCP on 127.0.0.1 only), export its connection string as
# OMNIREPORT_TEST_POSTGRES, run the command, then stop the server and remove the folder, whatever happens.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# PostgreSQL runs as a non-root user: the current one, or (as root) the `postgres` user, created when
# missing. When no PostgreSQL binaries are installed the command still runs, without the variable: the
# PostgreSQL tests then skip with a reason, or fail when CI=true or OMNIREPORT_REQUIRE_POSTGRES=1
# (.ci/run installs Debian's postgresql package first).
#
# OMNIREPORT_PG_OPTIONS: server options (default: durability off, fine for a throw-away test cluster;
# the benchmark passes "" to measure with the defaults).
set -uo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null)"
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

if ! bindir="$(find_bindir)"; then
  echo "with-postgres: PostgreSQL is not installed (no initdb/pg_ctl); the PostgreSQL tests will be skipped, or fail under CI=true / OMNIREPORT_REQUIRE_POSTGRES=1" >&2
  unset OMNIREPORT_TEST_POSTGRES
  "$@"
  exit $?
fi

run_as=()
pg_user="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  if ! id "$pg_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user" >/dev/null 2>&1 \
      || { echo "with-postgres: cannot create the $pg_user user" >&2; exit 1; }
  fi
  run_as=(runuser -u "$pg_user" --)
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/omnireport-pg.XXXXXX")"
chmod 755 "$tmp"
[ "${#run_as[@]}" -gt 0 ] && chown "$pg_user" "$tmp"
started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    "${run_as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! "${run_as[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
fi

options="${OMNIREPORT_PG_OPTIONS--c fsync=off -c synchronous_commit=off -c full_page_writes=off}"
for attempt in $(seq 1 20); do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  port_free "$port" || continue
  if "${run_as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
      -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=200 $options" start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ "$started" -ne 1 ]; then
  echo "with-postgres: the server did not start:" >&2
  tail -20 "$tmp/server.log" >&2 2>/dev/null
  exit 1
fi

export OMNIREPORT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $tmp, removed afterwards)" >&2
"$@"
exit $?
