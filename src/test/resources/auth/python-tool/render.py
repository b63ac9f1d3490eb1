# Renders templates exactly as the Python tool's syncer did (Template.substitute with its keywords, print to file).
import os, sys
from string import Template
src, out = sys.argv[1], sys.argv[2]
env = dict(a.split('=', 1) for a in sys.argv[3:])
def render(name, **kw):
    with open(os.path.join(src, name)) as f:
        data = Template(f.read())
    return data.substitute(**kw) if kw else data.template
def write(name, data):
    p = os.path.join(out, name); os.makedirs(os.path.dirname(p), exist_ok=True)
    print(data, file=open(p, 'w'))
write('dovecot/ldap/passdb.conf', render('dovecot/ldap/passdb.conf', ldap_gc_uri=env['GC'], ldap_domain=env['DOMAIN'],
      ldap_base_dn=env['BASE'], ldap_bind_dn=env['BIND'], ldap_bind_dn_password=env['PW']))
with open(os.path.join(src, 'dovecot/extra.conf')) as f: write('dovecot/extra.conf', f.read())
write('sogo/plist_ldap', render('sogo/plist_ldap', ldap_uri=env['URI'], ldap_base_dn=env['BASE'], ldap_bind_dn=env['BIND'],
      ldap_bind_dn_password=env['PW'], sogo_ldap_filter=env['SOGO']))
