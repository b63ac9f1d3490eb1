package org.ldapmailcow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import org.ldapmailcow.demo.DemoDirectory;

/**
 * Fills the embedded directory with an AD-like organisation of a given size, the same for the same size and seed.
 * <ul>
 * <li>People under {@code OU=Staff} in departments of about 500: 2% without mail (service accounts), 4% disabled,
 * 10% with {@code DONT_EXPIRE_PASSWORD} (66048). Each one with mail has its {@code SMTP:} primary address; 60%
 * have one more {@code smtp:} address, 15% a second one, 2% one in a domain mailcow does not host; 30% carry an
 * {@code X500:} and 20% a {@code SIP:} address, which the sync ignores.</li>
 * <li>{@code groups} mail-enabled groups: one per department (its people), {@code All Staff} (the department
 * groups, nested), and team and project lists of 3 to 400 members (70% up to 20, 25% up to 100), 15% of which
 * also contain one or two other lists. 20% of the groups have a second {@code smtp:} address. No group lists more
 * than 1,500 members directly, so no ranged {@code member} read is needed.</li>
 * <li>One security group without mail per 100 groups, 5 to 30 people each, nested in a mail-enabled list: these
 * are found by the batched member look-up, not by the group search.</li>
 * </ul>
 */
public final class BenchDirectory {

    public static final String STAFF_OU = "OU=Staff," + DemoDirectory.BASE_DN;
    public static final String GROUPS_OU = "OU=Groups," + DemoDirectory.BASE_DN;
    static final String DOMAIN = DemoDirectory.DOMAIN;

    private static final String[] FIRST = {"anna", "ben", "clara", "david", "emma", "felix", "greta", "hugo",
        "ida", "jonas", "karla", "lukas", "mia", "noah", "olga", "paul", "rosa", "simon", "tara", "umut"};
    private static final String[] LAST = {"schmidt", "meyer", "weber", "wagner", "becker", "hoffmann", "koch",
        "richter", "klein", "wolf", "neumann", "braun", "zimmer", "kraus", "vogel", "jung", "otto", "lange"};
    private static final String X500 =
            "X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=";

    /** What was generated, for the report and for the expected request counts. */
    public record Shape(int users, int usersWithMail, int disabledWithMail, int userAliases, int unhostedAliases,
                        int mailGroups, int groupAddresses, int nestedGroupLinks, int securityGroups,
                        long memberships) {

        /** Aliases the first cycle creates: every hosted secondary user address and every group address. */
        public int aliasesToCreate() {
            return userAliases + groupAddresses;
        }

        /** Writes the first cycle makes: add/mailbox and edit/user-acl per mailbox, add/alias per alias. */
        public int firstCycleWrites() {
            return 2 * usersWithMail + aliasesToCreate();
        }
    }

    private BenchDirectory() {
    }

    public static Shape populate(DemoDirectory directory, int users, int groups) {
        return populate(directory, users, groups, 20_251_125L);
    }

    public static Shape populate(DemoDirectory directory, int users, int groups, long seed) {
        if (users < 1 || groups < 2) {
            throw new IllegalArgumentException("need at least 1 user and 2 groups");
        }
        Random random = new Random(seed);
        List<Entry> entries = new ArrayList<>();
        entries.add(container(STAFF_OU));
        entries.add(container(GROUPS_OU));

        int departments = Math.max(1, Math.min(groups / 2, (users + 499) / 500));
        List<List<String>> departmentMembers = new ArrayList<>();
        for (int d = 1; d <= departments; d++) {
            entries.add(container(departmentOu(d)));
            departmentMembers.add(new ArrayList<>());
        }

        List<String> people = new ArrayList<>(users);
        int withMail = 0;
        int disabledWithMail = 0;
        int userAliases = 0;
        int unhosted = 0;
        for (int i = 1; i <= users; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String id = String.format(Locale.ROOT, "%06d", i);
            String cn = capital(first) + " " + capital(last) + " " + id;
            int department = (i - 1) % departments;
            String dn = DemoDirectory.dn(cn, departmentOu(department + 1));
            double kind = random.nextDouble();
            boolean serviceAccount = kind < 0.02;
            boolean disabled = !serviceAccount && kind < 0.06;
            int uac = disabled ? DemoDirectory.DISABLED_ACCOUNT : kind < 0.16 ? 66048 : DemoDirectory.NORMAL_ACCOUNT;
            String local = first + "." + last + id;
            Entry entry = new Entry(dn,
                    new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("objectCategory", "person"),
                    new Attribute("cn", cn),
                    new Attribute("distinguishedName", dn),
                    new Attribute("givenName", capital(first)),
                    new Attribute("sn", capital(last)),
                    new Attribute("displayName", capital(first) + " " + capital(last)),
                    new Attribute("sAMAccountName", (serviceAccount ? "svc" : "u") + id),
                    new Attribute("userPrincipalName", (serviceAccount ? "svc" : "u") + id + "@" + DOMAIN),
                    new Attribute("userAccountControl", Integer.toString(uac)),
                    new Attribute("objectGUID", guid(random)));
            if (!serviceAccount) {
                String mail = local + "@" + DOMAIN;
                entry.setAttribute("mail", mail);
                List<String> proxies = new ArrayList<>();
                proxies.add("SMTP:" + mail);
                double p = random.nextDouble();
                if (p < 0.60) {
                    proxies.add("smtp:" + first.charAt(0) + "." + last + id + "@" + DOMAIN);
                    userAliases++;
                }
                if (p < 0.15) {
                    proxies.add("smtp:" + last + "." + first + id + "@" + DOMAIN);
                    userAliases++;
                }
                if (random.nextDouble() < 0.02) {
                    proxies.add("smtp:" + local + "@example.org");
                    unhosted++;
                }
                if (random.nextDouble() < 0.30) {
                    proxies.add(X500 + "u" + id);
                }
                if (random.nextDouble() < 0.20) {
                    proxies.add("SIP:" + mail);
                }
                entry.setAttribute("proxyAddresses", proxies);
                withMail++;
                if (disabled) {
                    disabledWithMail++;
                }
            }
            entries.add(entry);
            people.add(dn);
            departmentMembers.get(department).add(dn);
        }

        List<String> mailGroups = new ArrayList<>();
        int groupAddresses = 0;
        int nestedLinks = 0;
        long memberships = 0;
        for (int d = 1; d <= departments; d++) {
            List<String> members = departmentMembers.get(d - 1);
            String name = String.format(Locale.ROOT, "Department %03d", d);
            groupAddresses += addGroup(entries, mailGroups, random, name, "dept" + d, members);
            memberships += members.size();
        }
        groupAddresses += addGroup(entries, mailGroups, random, "All Staff", "allstaff", List.copyOf(mailGroups));
        memberships += departments;
        nestedLinks += departments;

        int securityGroups = Math.max(1, groups / 100);
        List<String> securityDns = new ArrayList<>();
        for (int s = 1; s <= securityGroups; s++) {
            String dn = DemoDirectory.dn(String.format(Locale.ROOT, "SEC Project %04d", s), GROUPS_OU);
            List<String> members = sample(people, 5 + random.nextInt(26), random);
            Entry entry = group(dn, random, "-2147483646");
            entry.setAttribute("member", members);
            entries.add(entry);
            securityDns.add(dn);
            memberships += members.size();
        }

        int lists = groups - mailGroups.size();
        for (int g = 1; g <= lists; g++) {
            double size = random.nextDouble();
            int count = size < 0.70 ? 3 + random.nextInt(18) : size < 0.95 ? 20 + random.nextInt(81)
                    : 100 + random.nextInt(301);
            List<String> members = new ArrayList<>(sample(people, Math.min(count, people.size()), random));
            if (random.nextDouble() < 0.15 && mailGroups.size() > departments + 1) {
                int nested = 1 + random.nextInt(2);
                for (int n = 0; n < nested; n++) {
                    // an earlier list only, so nesting never loops
                    members.add(mailGroups.get(departments + 1 + random.nextInt(mailGroups.size() - departments - 1)));
                    nestedLinks++;
                }
            }
            if (g <= securityGroups) {
                members.add(securityDns.get(g - 1));
                nestedLinks++;
            }
            String name = String.format(Locale.ROOT, "List %05d", g);
            groupAddresses += addGroup(entries, mailGroups, random, name, "list" + g, members);
            memberships += members.size();
        }

        try {
            directory.server().addEntries(entries);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot fill the benchmark directory: " + e.getMessage(), e);
        }
        return new Shape(users, withMail, disabledWithMail, userAliases, unhosted, mailGroups.size(), groupAddresses,
                nestedLinks, securityGroups, memberships);
    }

    /** Adds a mail-enabled universal distribution group; returns how many addresses it has. */
    private static int addGroup(List<Entry> entries, List<String> mailGroups, Random random, String cn, String local,
                                List<String> members) {
        String dn = DemoDirectory.dn(cn, GROUPS_OU);
        String mail = local + "@" + DOMAIN;
        Entry entry = group(dn, random, "8");
        entry.setAttribute("mail", mail);
        List<String> proxies = new ArrayList<>(List.of("SMTP:" + mail));
        if (random.nextDouble() < 0.20) {
            proxies.add("smtp:" + local + ".team@" + DOMAIN);
        }
        entry.setAttribute("proxyAddresses", proxies);
        if (!members.isEmpty()) {
            entry.setAttribute("member", members);
        }
        entries.add(entry);
        mailGroups.add(dn);
        return proxies.size();
    }

    private static Entry group(String dn, Random random, String groupType) {
        String cn = dn.substring(3, dn.indexOf(','));
        return new Entry(dn,
                new Attribute("objectClass", "top", "group"),
                new Attribute("objectCategory", "group"),
                new Attribute("cn", cn),
                new Attribute("distinguishedName", dn),
                new Attribute("sAMAccountName", cn.toLowerCase(Locale.ROOT).replace(' ', '-')),
                new Attribute("groupType", groupType),
                new Attribute("objectGUID", guid(random)));
    }

    private static List<String> sample(List<String> from, int count, Random random) {
        List<String> picked = new ArrayList<>(count);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (picked.size() < count) {
            int index = random.nextInt(from.size());
            if (seen.add(index)) {
                picked.add(from.get(index));
            }
        }
        return picked;
    }

    private static String departmentOu(int department) {
        return String.format(Locale.ROOT, "OU=Dept%03d,%s", department, STAFF_OU);
    }

    private static Entry container(String dn) {
        return new Entry(dn, new Attribute("objectClass", "top", "organizationalUnit"),
                new Attribute("distinguishedName", dn));
    }

    private static byte[] guid(Random random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String capital(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
