#!/usr/bin/env bash
# Seeds the 389 DS test instance with the fixture (the counterpart of the OpenLDAP one, in 389's own schema):
# people (inetOrgPerson + mailRecipient) with and without displayName, aliases in mailAlternateAddress, an account
# locked with nsAccountLock, a person without mail, nested groups (groupOfNames and groupOfUniqueNames made
# mail-enabled by the mailGroup auxiliary class, one nested group without mail), an empty group and a member that
# does not exist. The sync account reads the suffix (all but userPassword) through an ACI.
# Idempotent: entries that exist are left as they are. An instance without the USN plugin (started by an older
# start.sh) gets it first: start.sh switches it on and restarts ns-slapd.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"
ds_usn_enabled || "$HERE/start.sh"
S="$DS_SUFFIX"
O="$DS_OU_DN"
G="ou=Groups,$S"

add() {  # ldapadd that skips entries already there (68)
    local out rc=0
    out="$(ldapadd -c -x -H "$DS_LDAP_URI" -D "$DS_ADMIN_DN" -w "$DS_ADMIN_PASS" 2>&1)" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 68 ]; then
        echo "$out" >&2
        echo "!! ldapadd failed ($rc)" >&2
        return 1
    fi
}

person() {  # uid mail|- displayName|- [extra LDIF lines...]
    local uid="$1" mail="$2" display="$3"
    shift 3
    echo "dn: uid=$uid,$O"
    echo "objectClass: top"
    echo "objectClass: person"
    echo "objectClass: organizationalPerson"
    echo "objectClass: inetOrgPerson"
    echo "objectClass: mailRecipient"
    echo "uid: $uid"
    echo "cn: $uid"
    echo "sn: $uid"
    [ "$mail" = - ] || echo "mail: $mail"
    [ "$display" = - ] || echo "displayName:: $(printf '%s' "$display" | base64 -w0)"
    echo "userPassword: $DS_USER_PASS"
    for line in "$@"; do echo "$line"; done
    echo
}

{
cat <<LDIF
dn: ou=Services,$S
objectClass: top
objectClass: organizationalUnit
ou: Services

dn: $DS_BIND_DN
objectClass: top
objectClass: account
objectClass: simpleSecurityObject
uid: mailcow-sync
userPassword: $DS_BIND_PASS

dn: $O
objectClass: top
objectClass: organizationalUnit
ou: People

dn: $G
objectClass: top
objectClass: organizationalUnit
ou: Groups

LDIF
person alice alice@example.local "Alice Anderson" "mailAlternateAddress: alice.anderson@example.local" \
    "mailAlternateAddress: a.anderson@example.local"
person bob bob@example.local - "mailAlternateAddress: bobby@example.local"
person carol carol@example.local "Carol Clark"
person dave dave@example.local "Dave Davis"
person eve eve@example.local "Eve Evans" "mailAlternateAddress: eve.evans@example.local" "nsAccountLock: TRUE"
person frank - "Frank Fischer"
person heidi heidi.mueller@example.local "Heidi Müller-Hill"
person ivan ivan@example.local "Ivan Ivanov"
cat <<LDIF
dn: cn=Sales EMEA,$G
objectClass: top
objectClass: groupOfNames
cn: Sales EMEA
member: uid=ivan,$O
member: uid=eve,$O
member: uid=frank,$O

dn: cn=Sales Team,$G
objectClass: top
objectClass: groupOfUniqueNames
objectClass: mailGroup
cn: Sales Team
mail: sales@example.local
mailAlternateAddress: vertrieb@example.local
uniqueMember: uid=carol,$O
uniqueMember: uid=dave,$O#'0101'B
uniqueMember: cn=Sales EMEA,$G
uniqueMember: uid=ghost,$O

dn: cn=All Staff,$G
objectClass: top
objectClass: groupOfNames
objectClass: mailGroup
cn: All Staff
mail: allstaff@example.local
member: uid=alice,$O
member: uid=bob,$O
member: cn=Sales Team,$G

dn: cn=Support,$G
objectClass: top
objectClass: groupOfNames
objectClass: mailGroup
cn: Support
mail: support@example.local
member: uid=heidi,$O
member: uid=eve,$O

dn: cn=Empty,$G
objectClass: top
objectClass: groupOfNames
objectClass: mailGroup
cn: Empty
mail: empty@example.local

LDIF
} | add

# the sync account's read access, everything but passwords (in 389 DS 2.3 "*" covers nsAccountLock and
# nsUniqueId too); an ACI value already there answers 20 and is left alone
rc=0
out="$(ldapmodify -x -H "$DS_LDAP_URI" -D "$DS_ADMIN_DN" -w "$DS_ADMIN_PASS" 2>&1 <<LDIF
dn: $S
changetype: modify
add: aci
aci: (targetattr != "userPassword")(version 3.0; acl "mailcow sync reads"; allow (read, search, compare) userdn="ldap:///$DS_BIND_DN";)
LDIF
)" || rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 20 ]; then
    echo "$out" >&2
    echo "!! ldapmodify (aci) failed ($rc)" >&2
    exit 1
fi
echo ">> 389 DS fixture seeded at $DS_LDAP_URI"
