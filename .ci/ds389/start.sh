#!/usr/bin/env bash
# Starts a throw-away 389 Directory Server (Debian's 389-ds-base) on a loopback address and a non-standard port,
# without systemd: dscreate builds the instance as a PREFIX install under $DS_DIR (a copy of the package's
# defaults.inf with with_systemd = 0 and every /etc, /run, /var path moved below $DS_DIR; the system's
# /etc/dirsrv and dirsrv@ service are not used), and ns-slapd runs it in the background as the dirsrv user.
# The USN plugin is on: the rootDSE's lastusn;userroot counts the writes, the change counter that lets a cycle on an
# unchanged directory end early; an instance made before that gets it switched on (and is restarted once for it).
# Installs 389-ds-base and ldap-utils on first use (as root). Writes $DS_DIR/ds389.env for the tests.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"

if [ ! -x /usr/sbin/ns-slapd ] || ! command -v dscreate >/dev/null || ! command -v ldapadd >/dev/null; then
    echo ">> installing 389-ds-base and ldap-utils"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q 389-ds-base ldap-utils >/dev/null
fi
if [ -n "$(ds_pid)" ] && [ -f "$DS_CONF/dse.ldif" ] && ! ds_usn_enabled; then
    echo ">> switching the USN plugin on: restarting ns-slapd for it"
    "$HERE/stop.sh"
fi
if [ -n "$(ds_pid)" ]; then
    echo ">> ns-slapd already running (pid $(ds_pid)) at $DS_LDAP_URI"
    exit 0
fi

if [ ! -f "$DS_CONF/dse.ldif" ]; then
    echo ">> creating 389 DS instance $DS_INSTANCE in $DS_DIR"
    case "$DS_DIR" in /|/tmp|/root|/home|"") echo "refusing to use DS_DIR=$DS_DIR" >&2; exit 1;; esac
    rm -rf "$DS_DIR"
    mkdir -p "$DS_DIR/share/dirsrv/inf" "$DS_DIR/etc/dirsrv" "$DS_DIR/etc/default" "$DS_DIR/run/dirsrv" \
        "$DS_DIR/run/lock/dirsrv" "$DS_DIR/var/log/dirsrv" "$DS_DIR/var/lib/dirsrv" "$DS_DIR/dev/shm"
    sed -E -e 's#^with_systemd = 1#with_systemd = 0#' -e "s#= /(etc|run|var|dev/shm)#= $DS_DIR/\\1#" \
        /usr/share/dirsrv/inf/defaults.inf > "$DS_DIR/share/dirsrv/inf/defaults.inf"
    # dscreate copies the schema and config templates from <sysconf_dir>/dirsrv
    cp -a /etc/dirsrv/config /etc/dirsrv/schema "$DS_DIR/etc/dirsrv/"
    chown -R dirsrv:dirsrv "$DS_DIR/run" "$DS_DIR/var" "$DS_DIR/dev"
    umask 077
    cat > "$DS_DIR/instance.inf" <<INF
[general]
full_machine_name = localhost
strict_host_checking = False
selinux = False
start = False
[slapd]
instance_name = $DS_INSTANCE
port = $DS_PORT
secure_port = $DS_SECURE_PORT
self_sign_cert = False
root_password = $DS_ADMIN_PASS
[backend-userroot]
suffix = $DS_SUFFIX
create_suffix_entry = True
sample_entries = no
INF
    PREFIX="$DS_DIR" dscreate from-file "$DS_DIR/instance.inf" > "$DS_DIR/dscreate.log" 2>&1 ||
        { tail -20 "$DS_DIR/dscreate.log" >&2; echo "!! dscreate failed (log: $DS_DIR/dscreate.log)" >&2; exit 1; }
    rm -f "$DS_DIR/instance.inf"
    # listen on the loopback address only
    sed -i "/^nsslapd-port: /a nsslapd-listenhost: $DS_HOST" "$DS_CONF/dse.ldif"
fi
if ! ds_usn_enabled; then
    # the server is stopped: its dse.ldif may be edited; the plugin takes effect when it starts
    echo ">> switching the USN plugin on in $DS_CONF/dse.ldif"
    sed -i '/^dn: cn=USN,cn=plugins,cn=config$/,/^$/ s/^nsslapd-pluginEnabled: off$/nsslapd-pluginEnabled: on/' \
        "$DS_CONF/dse.ldif"
    ds_usn_enabled || { echo "!! the USN plugin could not be switched on in $DS_CONF/dse.ldif" >&2; exit 1; }
fi

echo ">> starting ns-slapd at $DS_LDAP_URI ($DS_DIR)"
/usr/sbin/ns-slapd -D "$DS_CONF" -i "$DS_PIDFILE" 2>>"$DS_DIR/ns-slapd.out"  # a FIPS notice; errors go to its log
for _ in $(seq 1 100); do
    if ldapsearch -x -H "$DS_LDAP_URI" -s base -b "" -LLL namingContexts >/dev/null 2>&1; then
        break
    fi
    sleep 0.2
done
[ -n "$(ds_pid)" ] || { echo "!! ns-slapd did not start (log: $DS_DIR/var/log/dirsrv/slapd-$DS_INSTANCE/errors)" >&2; exit 1; }

cat > "$DS_DIR/ds389.env" <<ENV
DS_LDAP_URI='$DS_LDAP_URI'
DS_BASE_DN='$DS_SUFFIX'
DS_OU_DN='$DS_OU_DN'
DS_BIND_DN='$DS_BIND_DN'
DS_BIND_PASS='$DS_BIND_PASS'
DS_ADMIN_DN='$DS_ADMIN_DN'
DS_ADMIN_PASS='$DS_ADMIN_PASS'
DS_USER_PASS='$DS_USER_PASS'
ENV
echo ">> ns-slapd running, pid $(ds_pid); settings in $DS_DIR/ds389.env"
