<#--
  mailcow releases from 2025-03 on run "/etc/sogo/plist_ldap.sh <domain> <gal>" once per mail domain and append
  what it prints to that domain's SOGoUserSources (an XML plist array). Values are XML-escaped, then quoted as
  one shell word each (esc.shell); the here-document below only expands those variables, whose values the shell
  does not scan again. Keep "$" out of the here-document otherwise (loginAttribute and sourceName come from
  LDAP_MAILCOW_DIRECTORY's fixed values, never from user input, and hold none).
-->
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
base_dn=${esc.shell(esc.xml(body.baseDn))}
bind_dn=${esc.shell(esc.xml(body.bindDn))}
bind_password=${esc.shell(esc.xml(body.bindPassword))}
hostname=${esc.shell(esc.xml(body.ldapUri))}
filter=${esc.shell(esc.xml(body.sogoFilter))}

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
                        <string>${esc.xml(body.loginAttribute)}</string>
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
                    <string>${esc.xml(body.sourceName)}</string>
                    <key>scope</key>
                    <string>SUB</string>
                </dict>
EOF
