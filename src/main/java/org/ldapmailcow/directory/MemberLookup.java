package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.naming.InvalidNameException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.model.EmailAddress;
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
    private final DirectoryType type;

    MemberLookup(DirectorySearch search, String baseDn, String memberFilter, int batchSize, DirectoryType type) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.search = search;
        this.ranges = new RangedMembers(search, type);
        this.type = type;
        this.baseDn = baseDn;
        this.memberFilter = memberFilter;
        this.batchSize = batchSize;
    }

    /** Which of the DNs (by key) are groups, with all their member DNs. */
    Map<String, List<String>> groups(Map<String, String> dnsByKey) throws NamingException {
        String[] memberAttributes = type.memberAttributes().toArray(String[]::new);
        List<SearchResult> found = type.findsEntriesByDn()
                ? find(dnsByKey, dn -> "(distinguishedName=" + Filter.encodeValue(dn) + ")",
                        "(&" + type.groupClassFilter() + "(|", "))", memberAttributes)
                : readEach(dnsByKey, type.groupClassFilter(), memberAttributes);
        return byKey(EntryAttributes.mapEach(found, LOG, "nested group",
                (dn, attributes) -> Map.entry(DistinguishedNames.key(dn), ranges.read(dn, attributes))));
    }

    /** Which of the DNs (by key) match the member filter, with their mail and account state. */
    Map<String, Member> people(Map<String, String> dnsByKey) throws NamingException {
        String[] attributes = type.memberLookupAttributes().toArray(String[]::new);
        List<SearchResult> found = memberFilter.contains(PLACEHOLDER)
                ? find(dnsByKey, this::memberFilterFor, "(|", ")", attributes)
                : readEach(dnsByKey, memberFilter, attributes);
        return byKey(EntryAttributes.mapEach(found, LOG, "group member",
                (dn, entry) -> Map.entry(DistinguishedNames.key(dn), new Member(
                        EmailAddress.normalise(EntryAttributes.first(entry, "mail")), type.disabled(entry)))));
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

    /**
     * Each DN's own entry if it matches the filter (a base search per DN): outside AD there is no attribute holding
     * an entry's DN to search by. A DN that names no entry, or one outside the base DN, is left out, as one that
     * does not match.
     */
    private List<SearchResult> readEach(Map<String, String> dnsByKey, String filter, String... attributes)
            throws NamingException {
        List<SearchResult> found = new ArrayList<>();
        String baseKey = DistinguishedNames.key(baseDn);
        for (String dn : dnsByKey.values()) {
            String key = DistinguishedNames.key(dn);
            if (!key.equals(baseKey) && !key.endsWith("," + baseKey)) {
                continue;   // like the batched search under the base DN: entries outside it are not members
            }
            try {
                found.addAll(search.search(dn, DirectorySearch.OBJECT, filter, attributes));
            } catch (NameNotFoundException | InvalidNameException e) {
                LOG.debug("member {} names no entry: {}", dn, e.getMessage());
            }
        }
        return found;
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
