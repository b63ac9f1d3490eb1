#!/usr/bin/env bash
# Starts a throw-away OpenLDAP (Debian's slapd) on a loopback address and a non-standard port, with its own
# cn=config directory built by slapadd -n0 (the package's /etc/ldap config and system service are not used):
# back_mdb, the ppolicy overlay (pwdAccountLockedTime), the syncprov overlay (it keeps the contextCSN on the suffix
# entry: the change counter that lets a cycle on an unchanged directory end early), the inetOrgPerson and misc schemas
# (mailLocalAddress), and a size limit of $OL_SIZE_LIMIT entries for everyone but the rootdn; paged searches may read
# more. A config directory made before syncprov was part of it gets the overlay added (slapd restarted once for it).
# Installs slapd and ldap-utils on first use (as root). Writes $OL_DIR/openldap.env for the tests.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"

if ! command -v slapd >/dev/null && [ ! -x /usr/sbin/slapd ] || ! command -v ldapadd >/dev/null; then
    echo ">> installing slapd and ldap-utils"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slapd ldap-utils >/dev/null
fi
# the syncprov module and overlay, for a config directory made without them: cn=config is not writable over the
# network (olcAccess none), so they are added offline with slapadd -n0, with slapd stopped for it
add_syncprov() {
    [ -d "$OL_CONF" ] && ! ol_has_syncprov || return 0
    if [ -n "$(ol_pid)" ]; then
        echo ">> adding the syncprov overlay: restarting slapd for it"
        "$HERE/stop.sh"
    fi
    echo ">> adding the syncprov overlay to $OL_CONF"
    slapadd -n0 -F "$OL_CONF" <<LDIF
dn: cn=module{1},cn=config
objectClass: olcModuleList
cn: module{1}
olcModulePath: /usr/lib/ldap
olcModuleLoad: syncprov

dn: olcOverlay={1}syncprov,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: {1}syncprov
olcSpCheckpoint: 100 5
LDIF
}
add_syncprov
if [ -n "$(ol_pid)" ]; then
    echo ">> slapd already running (pid $(ol_pid)) at $OL_LDAP_URI"
    exit 0
fi

mkdir -p "$OL_DIR/run" "$OL_DIR/data"
if [ ! -d "$OL_CONF" ]; then
    mkdir -p "$OL_CONF"
    admin_hash="$(slappasswd -s "$OL_ADMIN_PASS")"
    cat > "$OL_DIR/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $OL_PIDFILE
olcArgsFile: $OL_DIR/run/slapd.args

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy
olcModuleLoad: syncprov

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/misc.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $OL_DIR/data
olcDbMaxSize: 1073741824
olcSuffix: $OL_SUFFIX
olcRootDN: $OL_ADMIN_DN
olcRootPW: $admin_hash
olcSizeLimit: size.soft=$OL_SIZE_LIMIT size.hard=$OL_SIZE_LIMIT size.pr=$OL_SIZE_LIMIT size.prtotal=unlimited
olcDbIndex: objectClass eq
olcDbIndex: uid,mail eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by users read by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy

dn: olcOverlay={1}syncprov,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: {1}syncprov
olcSpCheckpoint: 100 5
LDIF
    slapadd -n0 -F "$OL_CONF" -l "$OL_DIR/config.ldif"
fi

echo ">> starting slapd at $OL_LDAP_URI ($OL_DIR)"
/usr/sbin/slapd -h "$OL_LDAP_URI/" -F "$OL_CONF"
for _ in $(seq 1 50); do
    if ldapsearch -x -H "$OL_LDAP_URI" -s base -b "" -LLL namingContexts >/dev/null 2>&1; then
        break
    fi
    sleep 0.2
done
[ -n "$(ol_pid)" ] || { echo "!! slapd did not start" >&2; exit 1; }

cat > "$OL_DIR/openldap.env" <<ENV
OL_LDAP_URI='$OL_LDAP_URI'
OL_BASE_DN='$OL_SUFFIX'
OL_OU_DN='$OL_OU_DN'
OL_BIND_DN='$OL_BIND_DN'
OL_BIND_PASS='$OL_BIND_PASS'
OL_ADMIN_DN='$OL_ADMIN_DN'
OL_ADMIN_PASS='$OL_ADMIN_PASS'
OL_USER_PASS='$OL_USER_PASS'
OL_SIZE_LIMIT='$OL_SIZE_LIMIT'
ENV
echo ">> slapd running, pid $(ol_pid); settings in $OL_DIR/openldap.env"
