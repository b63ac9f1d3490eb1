#!/usr/bin/env bash
# Stops the ns-slapd that start.sh started, by its pid file only. --wipe also deletes $DS_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"

pid="$(ds_pid)"
if [ -n "$pid" ]; then
    echo ">> stopping ns-slapd pid $pid"
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "   still alive, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
    rm -f "$DS_PIDFILE"
else
    echo ">> no running ns-slapd for $DS_DIR"
fi
if [ "${1:-}" = "--wipe" ]; then
    case "$DS_DIR" in /|/tmp|/root|/home|"") echo "refusing to wipe DS_DIR=$DS_DIR" >&2; exit 1;; esac
    rm -rf "$DS_DIR"
fi
