package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in which group, by DN key: groups with their member keys, people with their mail, and DNs known to be
 * neither (contacts, computers, entries out of reach). Walking it yields a group's mail recipients.
 */
final class MembershipGraph {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipGraph.class);

    private final Map<String, List<String>> groups = new HashMap<>();
    private final Map<String, String> groupDns = new HashMap<>();
    private final Map<String, Member> people = new HashMap<>();
    private final Set<String> nobody = new HashSet<>();
    private final Set<String> reportedCycles = new HashSet<>();

    void addGroup(String key, String dn, List<String> memberKeys) {
        groups.put(key, memberKeys);
        groupDns.put(key, dn);
    }

    void addPerson(String key, Member member) {
        people.put(key, member);
    }

    /** A DN that is neither group nor person to us; it is not looked up again. */
    void addNobody(String key) {
        nobody.add(key);
    }

    boolean knows(String key) {
        return groups.containsKey(key) || people.containsKey(key) || nobody.contains(key);
    }

    boolean isGroup(String key) {
        return groups.containsKey(key);
    }

    /**
     * The mail of every enabled person reachable from the group through nested groups, once each
     * (case-insensitively), in the spelling met first. Cycles are cut and reported once.
     */
    List<String> memberMails(String groupKey) {
        Map<String, String> mails = new LinkedHashMap<>();
        Set<String> visited = new HashSet<>(Set.of(groupKey));
        Set<String> path = new HashSet<>(Set.of(groupKey));
        collect(groupKey, visited, path, mails);
        return new ArrayList<>(mails.values());
    }

    /**
     * For each member reached through nested groups (by lower-cased mail): the DNs of those groups, outermost
     * first, on the first path the walk of {@link #memberMails} takes. Direct members are not listed.
     */
    Map<String, List<String>> memberPaths(String groupKey) {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        Set<String> visited = new HashSet<>(Set.of(groupKey));
        paths(groupKey, new ArrayList<>(), visited, paths);
        return paths;
    }

    private void paths(String groupKey, List<String> via, Set<String> visited, Map<String, List<String>> paths) {
        for (String member : groups.getOrDefault(groupKey, List.of())) {
            if (groups.containsKey(member)) {
                if (visited.add(member)) {
                    via.add(groupDns.get(member));
                    paths(member, via, visited, paths);
                    via.remove(via.size() - 1);
                }
            } else {
                Member person = people.get(member);
                if (person != null && person.receivesMail() && !via.isEmpty()) {
                    paths.putIfAbsent(person.mail().toLowerCase(Locale.ROOT), List.copyOf(via));
                }
            }
        }
    }

    private void collect(String groupKey, Set<String> visited, Set<String> path, Map<String, String> mails) {
        for (String member : groups.getOrDefault(groupKey, List.of())) {
            if (groups.containsKey(member)) {
                if (path.contains(member)) {
                    reportCycle(groupKey, member);
                } else if (visited.add(member)) {
                    path.add(member);
                    collect(member, visited, path, mails);
                    path.remove(member);
                }
            } else {
                Member person = people.get(member);
                if (person != null && person.receivesMail()) {
                    mails.putIfAbsent(person.mail().toLowerCase(Locale.ROOT), person.mail());
                }
            }
        }
    }

    private void reportCycle(String group, String member) {
        if (reportedCycles.add(group + "\n" + member)) {
            LOG.warn("Group membership cycle: member {} of {} contains it, directly or nested; that membership is ignored",
                    groupDns.get(member), groupDns.get(group));
        }
    }
}
