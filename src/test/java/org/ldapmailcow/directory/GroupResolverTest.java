package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.DemoDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupResolverTest {

    private static final String D = "@example.local";

    private DemoDirectory directory;
    private JndiDirectorySearch search;

    @BeforeEach
    void start() {
        directory = new DemoDirectory().start();
        search = TestLdap.search(directory);
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    /** Users from the user search under {@code base}, then the groups; counts only the resolver's own searches. */
    private Map<String, DirectoryGroup> resolve(String base, String memberFilter) throws Exception {
        List<DirectoryUser> users = new DirectoryReader().users(TestLdap.userResults(search, base));
        var groupResults = TestLdap.groupResults(search);
        search.resetSearchCount();
        directory.resetSearchCount();
        return new GroupResolver(search, DemoDirectory.BASE_DN, memberFilter).groups(groupResults, users).stream()
                .collect(Collectors.toMap(DirectoryGroup::mail, Function.identity()));
    }

    private Map<String, DirectoryGroup> resolve() throws Exception {
        return resolve(DemoDirectory.BASE_DN, Settings.DEFAULT_GROUP_MEMBER_FILTER);
    }

    private String user(String name) {
        return directory.addUser(name, name + D, name, DemoDirectory.NORMAL_ACCOUNT);
    }

    @Test
    void resolvesTheSampleGroupsFromTheUserListAlone() throws Exception {
        directory.seedSample();
        Map<String, DirectoryGroup> groups = resolve();

        assertThat(groups).containsOnlyKeys("allstaff" + D, "sales" + D, "sales-emea" + D, "support" + D,
                "empty" + D);
        // three levels: All Staff > Sales Team > Sales EMEA; Frank has no mail
        assertThat(groups.get("allstaff" + D).memberMails()).containsExactly(
                "alice" + D, "bob" + D, "carol" + D, "dave" + D, "ivan" + D);
        assertThat(groups.get("sales" + D).memberMails()).containsExactly("carol" + D, "dave" + D, "ivan" + D);
        // Eve is disabled; Grace's mail in the spelling mailcow stores
        assertThat(groups.get("support" + D).memberMails())
                .containsExactly("grace.green@example.local", "heidi.mueller" + D);
        assertThat(groups.get("empty" + D).memberMails()).isEmpty();
        // only the SMTP-type values are kept: the X500 one is never an alias
        assertThat(groups.get("sales" + D).proxyAddresses()).containsExactly("SMTP:sales" + D, "smtp:vertrieb" + D);
        assertThat(groups.get("sales" + D).dn()).isEqualTo("CN=Sales Team," + DemoDirectory.MAIL_USERS_OU);
        assertThat(search.searchCount()).isZero();
        assertThat(directory.searchCount()).isZero();
    }

    @Test
    void findsNestedGroupsWithoutMailAndMembersOutsideTheUserSearch() throws Exception {
        String inside = user("inside");
        String outside = directory.addUser(DemoDirectory.USERS_CONTAINER, "outside", "outside" + D, "Outside",
                DemoDirectory.NORMAL_ACCOUNT);
        String disabledOutside = directory.addUser(DemoDirectory.USERS_CONTAINER, "gone", "gone" + D, "Gone",
                DemoDirectory.DISABLED_ACCOUNT);
        String inner = directory.addGroup("Inner", null, List.of(inside, outside, disabledOutside));
        directory.addGroup("Outer", "outer" + D, List.of(inner));

        Map<String, DirectoryGroup> groups = resolve(DemoDirectory.MAIL_USERS_OU, Settings.DEFAULT_GROUP_MEMBER_FILTER);

        assertThat(groups.get("outer" + D).memberMails()).containsExactly("inside" + D, "outside" + D);
        // level 1: the group search finds Inner; level 2: a group search and a member search for the outsiders
        assertThat(search.searchCount()).isEqualTo(3);
    }

    @Test
    void skipsAMemberThatCannotBeReadAndKeepsTheOthers() throws Exception {
        String good = directory.addUser(DemoDirectory.USERS_CONTAINER, "good", "good" + D, "Good",
                DemoDirectory.NORMAL_ACCOUNT);
        String bad = directory.addUser(DemoDirectory.USERS_CONTAINER, "bad", "bad" + D, "Bad",
                DemoDirectory.NORMAL_ACCOUNT);
        directory.setAttribute(bad, "userAccountControl", "yes");
        directory.addGroup("Mixed", "mixed" + D, List.of(bad, good));

        Map<String, DirectoryGroup> groups = resolve(DemoDirectory.MAIL_USERS_OU, Settings.DEFAULT_GROUP_MEMBER_FILTER);

        assertThat(groups.get("mixed" + D).memberMails()).containsExactly("good" + D);
    }

    @Test
    void cutsMembershipCycles() throws Exception {
        String one = user("one");
        String two = user("two");
        String three = user("three");
        String a = DemoDirectory.dn("Loop A", DemoDirectory.MAIL_USERS_OU);
        String b = directory.addGroup("Loop B", null, List.of(a, two));
        directory.addGroup("Loop A", "loop-a" + D, List.of(b, one));
        String self = DemoDirectory.dn("Self", DemoDirectory.MAIL_USERS_OU);
        directory.addGroup("Self", "self" + D, List.of(self, three));
        directory.addGroup("Around", "around" + D, List.of(a));

        Map<String, DirectoryGroup> groups = resolve();

        assertThat(groups.get("loop-a" + D).memberMails()).containsExactly("two" + D, "one" + D);
        assertThat(groups.get("self" + D).memberMails()).containsExactly("three" + D);
        assertThat(groups.get("around" + D).memberMails()).containsExactly("two" + D, "one" + D);
    }

    @Test
    void listsEachAddressOnceInTheSpellingMetFirst() throws Exception {
        String upper = directory.addUser("Upper", "Dup" + D, "Upper", DemoDirectory.NORMAL_ACCOUNT);
        String lower = directory.addUser("Lower", "dup" + D, "Lower", DemoDirectory.NORMAL_ACCOUNT);
        String other = user("other");
        String nested = directory.addGroup("Nested", null, List.of(lower, other, upper));
        directory.addGroup("Twice", "twice" + D, List.of(upper, nested, other));

        assertThat(resolve().get("twice" + D).memberMails()).containsExactly("dup" + D, "other" + D);
    }

    @Test
    void readsGroupsOverFifteenHundredMembersInRanges() throws Exception {
        List<String> many = directory.addUsers(3200, "many");
        directory.addGroup("Many", "many" + D, many);
        String hidden = directory.addGroup("Hidden", null, many.subList(0, 1600));
        directory.addGroup("Some", "some" + D, List.of(hidden));

        Map<String, DirectoryGroup> groups = resolve();

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 3200; i++) {
            expected.add(String.format("many%05d", i) + D);
        }
        assertThat(groups.get("many" + D).memberMails()).containsExactlyElementsOf(expected);
        assertThat(groups.get("some" + D).memberMails()).containsExactlyElementsOf(expected.subList(0, 1600));
        // Many: 1500-2999 and 3000-*; Hidden: the group search, then 1500-*
        assertThat(search.searchCount()).isEqualTo(4);
    }

    @Test
    void evaluatesACustomMemberFilterInBatches() throws Exception {
        List<String> members = directory.addUsers(2000, "member");
        directory.setAttribute(members.get(7), "description", "external");
        directory.setAttribute(members.get(1999), "userAccountControl", "514");
        directory.addGroup("Big", "big" + D, members);
        String filter = "(&(objectClass=user)(mail=*)(!(description=external))(distinguishedName={MEMBER_CN}))";

        DirectoryGroup big = resolve(DemoDirectory.BASE_DN, filter).get("big" + D);

        assertThat(big.memberMails()).hasSize(1998).doesNotContain("member00008" + D, "member02000" + D)
                .contains("member00001" + D, "member01999" + D);
        // one range read (2000 > 1500) and 2000 / 100 member searches; all members are known users, so no
        // group search
        assertThat(search.searchCount()).isEqualTo(21);
        assertThat(directory.searchCount()).isEqualTo(21);
    }

    @Test
    void theDefaultMemberFilterNeedsNoSearchForKnownUsers() throws Exception {
        List<String> members = directory.addUsers(2000, "member");
        directory.setAttribute(members.get(7), "description", "external");
        directory.addGroup("Big", "big" + D, members);

        assertThat(resolve().get("big" + D).memberMails()).hasSize(2000).contains("member00008" + D);
        assertThat(search.searchCount()).isEqualTo(1);
    }

    @Test
    void escapesDnsPutIntoFilters() throws Exception {
        String odd = directory.addUser("Smith, John+Jr (x*) \\ y", "smith" + D, "John Smith",
                DemoDirectory.NORMAL_ACCOUNT);
        String umlaut = directory.addUser("Jürgen Groß", "juergen" + D, "Jürgen Groß", DemoDirectory.NORMAL_ACCOUNT);
        String team = directory.addGroup("R&D (Team*), \\ + Co", null, List.of(odd, umlaut));
        directory.addGroup("Lab", "lab" + D, List.of(team));
        assertThat(odd).isEqualTo("CN=Smith\\, John\\+Jr (x*) \\\\ y," + DemoDirectory.MAIL_USERS_OU);

        // the members are unknown to the user search (another base), so both go through filters
        Map<String, DirectoryGroup> groups = resolve(DemoDirectory.USERS_CONTAINER,
                Settings.DEFAULT_GROUP_MEMBER_FILTER);

        assertThat(groups.get("lab" + D).memberMails()).containsExactly("smith" + D, "juergen" + D);
        assertThat(search.searchCount()).isEqualTo(3);
    }

    @Test
    void comparesDnsByTheirRdnsNotTheirSpelling() throws Exception {
        String odd = directory.addUser("Smith, John", "smith" + D, "John Smith", DemoDirectory.NORMAL_ACCOUNT);
        String respelled = "cn=SMITH\\2C JOHN, ou=mail users, dc=EXAMPLE, dc=local";
        directory.addGroup("Respelled", "respelled" + D, List.of(respelled));

        assertThat(DistinguishedNames.key(respelled)).isEqualTo(DistinguishedNames.key(odd));
        assertThat(resolve().get("respelled" + D).memberMails()).containsExactly("smith" + D);
        assertThat(search.searchCount()).isZero();
    }
}
