#!/usr/bin/env bash
# Make PostgreSQL available for the tracking-server integration tests.
#
# The tests (tests/integration/test_tracking_server.py, helpers in tests/servers.py) start and
# stop every service themselves — a throw-away PostgreSQL cluster, moto_server for S3 and
# `mlflow server` — on 127.0.0.1 at free ports, so that nothing outlives a test session. What
# they cannot do is install the PostgreSQL server binaries: this script does, from Debian's
# packages, as root. It does not start a cluster (Debian's postinst may try; the tests never use
# it). moto[server] and psycopg2-binary come with `pip install -e '.[dev]'`.
#
# It NEVER fails the CI run: when something cannot be done it says why and exits 0, and the
# tests skip with their own stated reason.
#
# Usage: bash .ci/setup_tracking_server.sh      (from anywhere; before `make test`)
# Env:   SKIP_TRACKING_SERVER=1   do nothing
set -u

LOG="${TRACKING_SETUP_LOG:-/tmp/mle-track-setup-tracking.log}"

say() { printf '[setup_tracking_server] %s\n' "$*"; }
give_up() {
    say "tracking-server tests will be skipped: $*"
    exit 0
}

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

if [[ "${SKIP_TRACKING_SERVER:-0}" == 1 ]]; then give_up "SKIP_TRACKING_SERVER=1"; fi

if ! have_postgres; then
    if [[ "$(id -u)" != 0 ]]; then give_up "PostgreSQL is missing and we are not root"; fi
    if ! command -v apt-get >/dev/null; then give_up "PostgreSQL is missing and there is no apt-get"; fi
    say "installing postgresql (log $LOG)"
    export DEBIAN_FRONTEND=noninteractive
    # a Docker-like machine may have no init system: tell postinst not to start services
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    timeout 900 apt-get update -qq >"$LOG" 2>&1 \
        && timeout 900 apt-get install -y -qq --no-install-recommends postgresql >>"$LOG" 2>&1
    status=$?
    if [[ "$made_policy" == 1 ]]; then rm -f "$policy"; fi
    if [[ "$status" != 0 ]]; then
        tail -n 20 "$LOG" | sed 's/^/    /'
        give_up "apt-get install postgresql failed (exit $status)"
    fi
    have_postgres || give_up "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
fi

bindir="$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)")"
# initdb and postgres refuse root: as root the tests run them as the `postgres` user
if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
    give_up "running as root but there is no postgres user to run the server as"
fi
say "PostgreSQL ready: $("$bindir/postgres" --version 2>/dev/null || echo "$bindir")"
exit 0
