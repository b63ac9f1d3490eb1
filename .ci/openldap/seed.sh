#!/usr/bin/env bash
# Seeds the OpenLDAP test server with the fixture (the counterpart of the AD test DC's): people with and without
# displayName, aliases in mailLocalAddress, a locked account (ppolicy's pwdAccountLockedTime), a person without
# mail, nested groups (groupOfNames and groupOfUniqueNames, one nested group without mail), an empty group, a
# member that does not exist, and BULK users (default 2000) in ou=Bulk with one group holding them all.
# Idempotent: entries that exist are left as they are. A server whose config lacks the syncprov overlay (started by
# an older start.sh) gets it first: start.sh adds it and restarts slapd.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/env.sh"
ol_has_syncprov || "$HERE/start.sh"
BULK="${BULK:-2000}"
S="$OL_SUFFIX"
O="$OL_OU_DN"
G="ou=Groups,$S"
B="ou=Bulk,$S"

add() {  # ldapadd that skips entries already there (68)
    local out rc=0
    out="$(ldapadd -c -x -H "$OL_LDAP_URI" -D "$OL_ADMIN_DN" -w "$OL_ADMIN_PASS" 2>&1)" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 68 ]; then
        echo "$out" >&2
        echo "!! ldapadd failed ($rc)" >&2
        return 1
    fi
}

person() {  # uid mail displayName|- [extra LDIF lines...]
    local uid="$1" mail="$2" display="$3"
    shift 3
    echo "dn: uid=$uid,$O"
    echo "objectClass: inetOrgPerson"
    echo "objectClass: inetLocalMailRecipient"
    echo "uid: $uid"
    echo "cn: $uid"
    echo "sn: $uid"
    [ "$mail" = - ] || echo "mail: $mail"
    [ "$display" = - ] || echo "displayName:: $(printf '%s' "$display" | base64 -w0)"
    echo "userPassword: $OL_USER_PASS"
    for line in "$@"; do echo "$line"; done
    echo
}

user_hash="$(slappasswd -s "$OL_USER_PASS")"
bind_hash="$(slappasswd -s "$OL_BIND_PASS")"
{
cat <<LDIF
dn: $S
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: $OL_BIND_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: sync
userPassword: $bind_hash

dn: $O
objectClass: organizationalUnit
ou: Mail Users

dn: $G
objectClass: organizationalUnit
ou: Groups

dn: $B
objectClass: organizationalUnit
ou: Bulk

LDIF
person alice alice@example.local "Alice Anderson" "mailLocalAddress: alice.anderson@example.local" \
    "mailLocalAddress: a.anderson@example.local"
person bob bob@example.local - "mailLocalAddress: bobby@example.local"
person carol carol@example.local "Carol Clark"
person dave dave@example.local "Dave Davis"
person eve eve@example.local "Eve Evans" "mailLocalAddress: eve.evans@example.local" \
    "pwdAccountLockedTime: 000001010000Z"
person frank - "Frank Fischer"
person heidi heidi.mueller@example.local "Heidi Müller-Hill"
person ivan ivan@example.local "Ivan Ivanov"
cat <<LDIF
dn: cn=Sales EMEA,$G
objectClass: groupOfNames
cn: Sales EMEA
member: uid=ivan,$O
member: uid=eve,$O
member: uid=frank,$O

dn: cn=Sales Team,$G
objectClass: groupOfUniqueNames
objectClass: extensibleObject
cn: Sales Team
mail: sales@example.local
mailLocalAddress: vertrieb@example.local
uniqueMember: uid=carol,$O
uniqueMember: uid=dave,$O#'0101'B
uniqueMember: cn=Sales EMEA,$G
uniqueMember: uid=ghost,$O

dn: cn=All Staff,$G
objectClass: groupOfNames
objectClass: extensibleObject
cn: All Staff
mail: allstaff@example.local
member: uid=alice,$O
member: uid=bob,$O
member: cn=Sales Team,$G

dn: cn=Support,$G
objectClass: groupOfNames
objectClass: extensibleObject
cn: Support
mail: support@example.local
member: uid=heidi,$O
member: uid=eve,$O

dn: cn=Empty,$G
objectClass: groupOfNames
objectClass: extensibleObject
cn: Empty
mail: empty@example.local
member:

LDIF
} | add

have="$(ldapsearch -x -H "$OL_LDAP_URI" -D "$OL_ADMIN_DN" -w "$OL_ADMIN_PASS" -b "$B" -LLL \
    '(objectClass=inetOrgPerson)' 1.1 2>/dev/null | grep -c '^dn:' || true)"
if [ "$have" -lt "$BULK" ]; then
    echo ">> adding bulk users ($have there, $BULK wanted)"
    {
        for i in $(seq 1 "$BULK"); do
            n="$(printf '%04d' "$i")"
            printf 'dn: uid=bulk%s,%s\nobjectClass: inetOrgPerson\nuid: bulk%s\ncn: Bulk %s\nsn: %s\nmail: bulk%s@example.local\nuserPassword: %s\n\n' \
                "$n" "$B" "$n" "$n" "$n" "$n" "$user_hash"
        done
    } | add
    ldapdelete -x -H "$OL_LDAP_URI" -D "$OL_ADMIN_DN" -w "$OL_ADMIN_PASS" "cn=Bulk List,$G" 2>/dev/null || true
    {
        printf 'dn: cn=Bulk List,%s\nobjectClass: groupOfNames\nobjectClass: extensibleObject\ncn: Bulk List\nmail: bulk-list@example.local\n' "$G"
        for i in $(seq 1 "$BULK"); do printf 'member: uid=bulk%04d,%s\n' "$i" "$B"; done
        echo
    } | add
fi
echo ">> OpenLDAP fixture seeded at $OL_LDAP_URI"
