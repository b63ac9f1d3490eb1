#!/usr/bin/env bash
# Shared by the test servers' scripts (.ci/openldap, .ci/ds389).

# stop_by_pidfile NAME PID PIDFILE DIR SECONDS [--wipe]: stops the server of that pid (TERM, then KILL after
# SECONDS), removes its pid file; --wipe also deletes DIR.
stop_by_pidfile() {
    local name="$1" pid="$2" pidfile="$3" dir="$4" seconds="$5" wipe="${6:-}"
    if [ -n "$pid" ]; then
        echo ">> stopping $name pid $pid"
        kill -TERM "$pid"
        for _ in $(seq 1 $((seconds * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && { echo "   still alive, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
        rm -f "$pidfile"
    else
        echo ">> no running $name for $dir"
    fi
    if [ "$wipe" = "--wipe" ]; then
        case "$dir" in /|/tmp|/root|/home|"") echo "refusing to wipe $dir" >&2; return 1;; esac
        rm -rf "$dir"
    fi
}
