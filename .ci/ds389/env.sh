# Common settings of the loopback 389 Directory Server test instance. Sourced by start/seed/stop.sh; every value
# can be overridden from the environment.
DS_DIR="${DS_DIR:-/tmp/ds389-test}"              # a PREFIX tree: config, database, logs, pid file, ds389.env
DS_INSTANCE="${DS_INSTANCE:-ldapmailcow}"
DS_HOST="${DS_HOST:-127.0.0.1}"
DS_PORT="${DS_PORT:-10390}"                      # not 389 (Samba AD DC) nor 10389 (OpenLDAP test server)
DS_SECURE_PORT="${DS_SECURE_PORT:-10637}"        # recorded in the config only: TLS stays off
DS_SUFFIX="${DS_SUFFIX:-dc=example,dc=local}"
DS_ADMIN_PASS="${DS_ADMIN_PASS:-Passw0rd!Admin}" # cn=Directory Manager, for seeding and the tests' changes
DS_BIND_PASS="${DS_BIND_PASS:-Passw0rd!Bind}"    # the sync account: an ordinary entry, reading through an ACI
DS_USER_PASS="${DS_USER_PASS:-Passw0rd!User1}"   # every fixture user's password

DS_ADMIN_DN="cn=Directory Manager"
DS_BIND_DN="uid=mailcow-sync,ou=Services,$DS_SUFFIX"
DS_OU_DN="ou=People,$DS_SUFFIX"
DS_LDAP_URI="ldap://$DS_HOST:$DS_PORT"
DS_CONF="$DS_DIR/etc/dirsrv/slapd-$DS_INSTANCE"
DS_PIDFILE="$DS_DIR/run/dirsrv/slapd-$DS_INSTANCE.pid"

# pid of our running ns-slapd (pid file + /proc, the binary and our config directory), or empty
ds_pid() {
    local pid
    [ -s "$DS_PIDFILE" ] || return 0
    pid="$(tr -dc '0-9' < "$DS_PIDFILE")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/ns-slapd ] &&
       tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DS_CONF"; then
        echo "$pid"
    fi
}

# whether our instance's config has the USN plugin on (it keeps the rootDSE's lastusn); read from dse.ldif
ds_usn_enabled() {
    [ "$(awk '/^dn: cn=USN,cn=plugins,cn=config$/ { f = 1 } f && /^$/ { exit } f && /^nsslapd-pluginEnabled:/ { print $2 }' \
        "$DS_CONF/dse.ldif" 2>/dev/null)" = on ]
}
