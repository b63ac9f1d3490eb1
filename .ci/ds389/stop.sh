#!/usr/bin/env bash
# Stops the ns-slapd that start.sh started, by its pid file only. --wipe also deletes $DS_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"
. "$HERE/../server-lib.sh"

stop_by_pidfile ns-slapd "$(ds_pid)" "$DS_PIDFILE" "$DS_DIR" 30 "${1:-}"
