#!/usr/bin/env bash
# Stops the slapd that start.sh started, by its pid file only. --wipe also deletes $OL_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"

pid="$(ol_pid)"
if [ -n "$pid" ]; then
    echo ">> stopping slapd pid $pid"
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "   still alive, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
    rm -f "$OL_PIDFILE"
else
    echo ">> no running slapd for $OL_DIR"
fi
if [ "${1:-}" = "--wipe" ]; then
    case "$OL_DIR" in /|/tmp|/root|/home|"") echo "refusing to wipe OL_DIR=$OL_DIR" >&2; exit 1;; esac
    rm -rf "$OL_DIR"
fi
