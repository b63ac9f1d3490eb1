# Common settings of the loopback OpenLDAP test server. Sourced by start/seed/stop.sh; every value can be
# overridden from the environment.
OL_DIR="${OL_DIR:-/tmp/openldap-test}"            # config (slapd.d), database, pid file, openldap.env
OL_HOST="${OL_HOST:-127.0.0.1}"
OL_PORT="${OL_PORT:-10389}"                       # not 389: the Samba AD test DC may have it
OL_SUFFIX="${OL_SUFFIX:-dc=example,dc=local}"
OL_ADMIN_PASS="${OL_ADMIN_PASS:-Passw0rd!Admin}"  # the database's rootdn, for seeding and the tests' changes
OL_BIND_PASS="${OL_BIND_PASS:-Passw0rd!Bind}"     # the sync account: an ordinary entry, so limits apply to it
OL_USER_PASS="${OL_USER_PASS:-Passw0rd!User1}"    # every fixture user's password
OL_SIZE_LIMIT="${OL_SIZE_LIMIT:-500}"             # like a server with sizelimit 500: paging is required

OL_ADMIN_DN="cn=admin,$OL_SUFFIX"
OL_BIND_DN="cn=sync,$OL_SUFFIX"
OL_OU_DN="ou=Mail Users,$OL_SUFFIX"
OL_LDAP_URI="ldap://$OL_HOST:$OL_PORT"
OL_PIDFILE="$OL_DIR/run/slapd.pid"
OL_CONF="$OL_DIR/slapd.d"

# pid of our running slapd (pid file + /proc, the binary and our config directory), or empty
ol_pid() {
    local pid
    [ -s "$OL_PIDFILE" ] || return 0
    pid="$(tr -dc '0-9' < "$OL_PIDFILE")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/slapd ] &&
       tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$OL_CONF"; then
        echo "$pid"
    fi
}

# whether our config has the syncprov overlay on the database (it keeps the suffix's contextCSN)
ol_has_syncprov() {
    compgen -G "$OL_CONF/cn=config/olcDatabase={1}mdb/olcOverlay={*}syncprov.ldif" >/dev/null
}
