#!/bin/bash
# Rendered by ldap-mailcow from its template sogo/plist_ldap.sh. Changes made here are overwritten
# at its next start (the previous version is kept as plist_ldap.sh.ldap_mailcow_bak*).
# Prints the LDAP user source for the mail domain given as first argument.
domain=$1
case $domain in
  '' | *[!A-Za-z0-9.-]*)
    echo "plist_ldap.sh: not a domain name, no LDAP source printed" >&2
    exit 1
    ;;
esac
source_id="$domain"_ldap
base_dn='OU=Mail Users,DC=example,DC=local'
bind_dn='CN=Bind DN,CN=Users,DC=example,DC=local'
bind_password='BindPassword'
hostname='ldap://dc.example.local'
filter='objectClass='\''user'\'' AND objectCategory='\''person'\'''

cat <<EOF
                <dict>
                    <key>type</key>
                    <string>ldap</string>
                    <key>id</key>
                    <string>$source_id</string>
                    <key>CNFieldName</key>
                    <string>cn</string>
                    <key>IDFieldName</key>
                    <string>cn</string>
                    <key>UIDFieldName</key>
                    <string>mail</string>
                    <key>baseDN</key>
                    <string>$base_dn</string>
                    <key>bindDN</key>
                    <string>$bind_dn</string>
                    <key>bindPassword</key>
                    <string>$bind_password</string>
                    <key>bindFields</key>
                    <array>
                        <string>sAMAccountName</string>
                        <string>mail</string>
                    </array>
                    <key>bindAsCurrentUser</key>
                    <string>YES</string>
                    <key>hostname</key>
                    <string>$hostname</string>
                    <key>canAuthenticate</key>
                    <string>YES</string>
                    <key>filter</key>
                    <string>$filter</string>
                    <key>isAddressBook</key>
                    <string>NO</string>
                    <key>displayName</key>
                    <string>Active Directory</string>
                    <key>scope</key>
                    <string>SUB</string>
                </dict>
EOF
