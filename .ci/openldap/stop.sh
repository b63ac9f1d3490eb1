#!/usr/bin/env bash
# Stops the slapd that start.sh started, by its pid file only. --wipe also deletes $OL_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"
. "$HERE/../server-lib.sh"

stop_by_pidfile slapd "$(ol_pid)" "$OL_PIDFILE" "$OL_DIR" 10 "${1:-}"
