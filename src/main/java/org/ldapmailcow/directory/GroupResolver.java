package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.naming.NamingException;
import javax.naming.directory.SearchResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * Resolves the members of the mail-enabled groups (camel-ldap's group search results) to the mail addresses of the
 * enabled people reachable through nested membership, without one LDAP search per member.
 * <ul>
 * <li>Member DNs of users from the user search are taken from that list, and mail-enabled groups from the group
 * search; DNs are compared by {@link DistinguishedNames#key}.</li>
 * <li>The other member DNs are looked up in batches, nesting level by nesting level: first
 * {@code (&(objectClass=group)(|(distinguishedName=..)..))} for nested groups (with their {@code member}), then the
 * member filter OR-ed over the DNs that are no group. Each DN is escaped before it goes into a filter.</li>
 * <li>With a custom member filter, users from the user search must match it too, so every member DN that is no
 * group goes through the batched member filter; only groups are still taken from the group search.</li>
 * <li>Large groups are read in {@code member;range=} steps ({@link RangedMembers}).</li>
 * </ul>
 * Searches per cycle: none when every member is a known user or group (the usual case with the default filter);
 * otherwise, per nesting level, one group search and one member search per {@value #BATCH_SIZE} unknown DNs; and
 * one base search per further 1500 members of a group over 1500.
 */
public class GroupResolver {

    private static final Logger LOG = LoggerFactory.getLogger(GroupResolver.class);
    public static final int BATCH_SIZE = 100;

    private final RangedMembers ranges;
    private final MemberLookup lookup;
    private final boolean memberFilterIsDefault;
    private final List<String> aliasAttributes;
    private volatile boolean recordPaths;

    public GroupResolver(DirectorySearch search, String baseDn, String memberFilter) {
        this(search, baseDn, memberFilter, BATCH_SIZE);
    }

    public GroupResolver(DirectorySearch search, String baseDn, String memberFilter, int batchSize) {
        this(search, baseDn, memberFilter, batchSize, DirectoryType.AD, DirectoryType.AD.aliasAttributes());
    }

    public GroupResolver(DirectorySearch search, String baseDn, String memberFilter, int batchSize,
                         DirectoryType type, List<String> aliasAttributes) {
        this.ranges = new RangedMembers(search, type);
        this.lookup = new MemberLookup(search, baseDn, memberFilter, batchSize, type);
        this.memberFilterIsDefault = sameFilter(memberFilter, type.memberFilter());
        this.aliasAttributes = List.copyOf(aliasAttributes);
    }

    /**
     * Groups read from now on carry the nested path to each member ({@code --explain}); a cycle does not need
     * them and keeps no such map per group.
     */
    public void recordPaths() {
        recordPaths = true;
    }

    /** A group from the group search, its members complete. */
    private record MailGroup(String key, String dn, String mail, List<String> proxyAddresses, List<String> members) {
    }

    /** The whole picture of one cycle. */
    public Directory directory(List<DirectoryUser> users, List<SearchResult> groupResults) throws NamingException {
        return new Directory(users, groups(groupResults, users));
    }

    public List<DirectoryGroup> groups(List<SearchResult> groupResults, List<DirectoryUser> users)
            throws NamingException {
        List<MailGroup> mailGroups = read(groupResults);
        MembershipGraph graph = new MembershipGraph();
        Map<String, String> firstLevel = new LinkedHashMap<>();
        // each distinct DN parsed once, and its key shared by every group listing it
        Map<String, String> keyCache = new HashMap<>();
        Function<String, String> key = dn -> keyCache.computeIfAbsent(dn, DistinguishedNames::key);
        for (MailGroup group : mailGroups) {
            graph.addGroup(group.key(), group.dn(), keys(group.members(), firstLevel, key));
        }
        discover(graph, firstLevel, usersByKey(users, key), key);

        List<DirectoryGroup> groups = new ArrayList<>(mailGroups.size());
        for (MailGroup group : mailGroups) {
            groups.add(new DirectoryGroup(group.dn(), group.mail(), group.proxyAddresses(),
                    graph.memberMails(group.key()), recordPaths ? graph.memberPaths(group.key()) : Map.of()));
        }
        return groups;
    }

    private List<MailGroup> read(List<SearchResult> groupResults) throws NamingException {
        return EntryAttributes.mapEach(groupResults, LOG, "group", (dn, attributes) -> new MailGroup(
                DistinguishedNames.key(dn), dn, EntryAttributes.first(attributes, "mail"),
                DirectoryType.aliasValues(attributes, aliasAttributes), ranges.read(dn, attributes)));
    }

    /**
     * Classifies every member DN reachable from the mail-enabled groups, level by level, each DN once:
     * {@code frontier} holds the DNs (by key) of one level that are not classified yet.
     */
    private void discover(MembershipGraph graph, Map<String, String> frontier, Map<String, DirectoryUser> users,
                          Function<String, String> keyOf) throws NamingException {
        frontier.keySet().removeIf(graph::knows);
        while (!frontier.isEmpty()) {
            Map<String, String> maybeGroups = new LinkedHashMap<>(frontier);
            maybeGroups.keySet().removeAll(users.keySet());
            Map<String, String> nextLevel = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> nested : lookup.groups(maybeGroups).entrySet()) {
                graph.addGroup(nested.getKey(), frontier.get(nested.getKey()), keys(nested.getValue(), nextLevel, keyOf));
            }

            Map<String, String> maybePeople = new LinkedHashMap<>();
            frontier.forEach((key, dn) -> {
                if (graph.isGroup(key)) {
                    return;
                }
                DirectoryUser user = users.get(key);
                if (user != null && memberFilterIsDefault) {
                    graph.addPerson(key, Member.of(user));
                } else {
                    maybePeople.put(key, dn);
                }
            });
            lookup.people(maybePeople).forEach(graph::addPerson);
            frontier.keySet().stream().filter(key -> !graph.knows(key)).forEach(graph::addNobody);

            nextLevel.keySet().removeIf(graph::knows);
            frontier = nextLevel;
        }
    }

    /** The keys of the DNs; the DNs not met before are added to {@code unseen} in their first spelling. */
    private static List<String> keys(List<String> dns, Map<String, String> unseen, Function<String, String> key) {
        List<String> keys = new ArrayList<>(dns.size());
        for (String dn : dns) {
            String k = key.apply(dn);
            keys.add(k);
            unseen.putIfAbsent(k, dn);
        }
        return keys;
    }

    private static Map<String, DirectoryUser> usersByKey(List<DirectoryUser> users, Function<String, String> key) {
        Map<String, DirectoryUser> byKey = new HashMap<>();
        for (DirectoryUser user : users) {
            byKey.putIfAbsent(key.apply(user.dn()), user);
        }
        return byKey;
    }

    /** Equal filters however written (case of attribute names, order inside {@code &}). */
    static boolean sameFilter(String a, String b) {
        try {
            return Filter.create(a.replace(MemberLookup.PLACEHOLDER, "x"))
                    .equals(Filter.create(b.replace(MemberLookup.PLACEHOLDER, "x")));
        } catch (LDAPException e) {
            return a.equals(b);
        }
    }
}
