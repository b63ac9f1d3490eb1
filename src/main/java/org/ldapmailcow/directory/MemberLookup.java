package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.naming.NamingException;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.sync.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.unboundid.ldap.sdk.Filter;

/**
 * Looks up member DNs in batches: one search per {@code batchSize} DNs, the per-DN filters OR-ed together, each
 * DN escaped for the filter. Results are matched back to the asked DNs by {@link DistinguishedNames#key}.
 */
final class MemberLookup {

    private static final Logger LOG = LoggerFactory.getLogger(MemberLookup.class);
    static final String PLACEHOLDER = "{MEMBER_CN}";

    private final DirectorySearch search;
    private final RangedMembers ranges;
    private final String baseDn;
    private final String memberFilter;
    private final int batchSize;

    MemberLookup(DirectorySearch search, String baseDn, String memberFilter, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.search = search;
        this.ranges = new RangedMembers(search);
        this.baseDn = baseDn;
        this.memberFilter = memberFilter;
        this.batchSize = batchSize;
    }

    /** Which of the DNs (by key) are groups, with all their member DNs. */
    Map<String, List<String>> groups(Map<String, String> dnsByKey) throws NamingException {
        List<SearchResult> found = find(dnsByKey, dn -> "(distinguishedName=" + Filter.encodeValue(dn) + ")",
                "(&(objectClass=group)(|", "))", "member");
        return byKey(EntryAttributes.mapEach(found, LOG, "nested group",
                (dn, attributes) -> Map.entry(DistinguishedNames.key(dn), ranges.read(dn, attributes))));
    }

    /** Which of the DNs (by key) match the member filter, with their mail and account state. */
    Map<String, Member> people(Map<String, String> dnsByKey) throws NamingException {
        List<SearchResult> found = find(dnsByKey, this::memberFilterFor, "(|", ")", "mail", "userAccountControl");
        return byKey(EntryAttributes.mapEach(found, LOG, "group member",
                (dn, attributes) -> Map.entry(DistinguishedNames.key(dn), new Member(
                        EmailAddress.normalise(EntryAttributes.first(attributes, "mail")),
                        EntryAttributes.disabled(attributes)))));
    }

    private static <V> Map<String, V> byKey(List<Map.Entry<String, V>> entries) {
        Map<String, V> byKey = new LinkedHashMap<>();
        entries.forEach(entry -> byKey.put(entry.getKey(), entry.getValue()));
        return byKey;
    }

    private String memberFilterFor(String dn) {
        String filter = memberFilter.replace(PLACEHOLDER, Filter.encodeValue(dn));
        return filter.startsWith("(") ? filter : "(" + filter + ")";
    }

    /** The results among the asked DNs, searched batch by batch; anything else the filter matched is dropped. */
    private List<SearchResult> find(Map<String, String> dnsByKey, Function<String, String> term, String prefix,
                                    String suffix, String... attributes) throws NamingException {
        List<SearchResult> found = new ArrayList<>();
        List<String> dns = new ArrayList<>(dnsByKey.values());
        for (int from = 0; from < dns.size(); from += batchSize) {
            StringBuilder filter = new StringBuilder(prefix);
            dns.subList(from, Math.min(from + batchSize, dns.size())).forEach(dn -> filter.append(term.apply(dn)));
            for (SearchResult result : search.search(baseDn, DirectorySearch.SUBTREE, filter.append(suffix).toString(),
                    attributes)) {
                if (dnsByKey.containsKey(DistinguishedNames.key(EntryAttributes.dn(result)))) {
                    found.add(result);
                }
            }
        }
        return found;
    }
}
