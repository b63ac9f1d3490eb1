package org.ldapmailcow.directory;

import java.io.Serial;
import java.util.Arrays;
import java.util.NoSuchElementException;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.SearchResult;

/**
 * A search result that keeps only its DN and its attribute values, in arrays. camel-ldap holds every result of a
 * search until the search ends, and JNDI's own result keeps a hashtable, a vector and a context reference per
 * attribute: about 2 KB per user entry, against about 0.8 KB here (50,000 users: 100 MB against 40 MB).
 * {@link #getAttributes()} builds ordinary JNDI attributes on each call; the readers ask once per entry.
 */
public final class LeanSearchResult extends SearchResult {

    @Serial
    private static final long serialVersionUID = 1L;

    private String[] ids;
    private Object[][] values;

    private LeanSearchResult(String dn, Attributes attributes) throws NamingException {
        super(dn, null, null, false);
        setNameInNamespace(dn);
        keep(attributes);
    }

    /** A lean copy of a result: its full DN (or its name, when the provider gives no full one) and its values. */
    static SearchResult of(SearchResult result) throws NamingException {
        return new LeanSearchResult(EntryAttributes.dn(result), result.getAttributes());
    }

    /** Every result of {@code results}, made lean one at a time as it is read. */
    public static NamingEnumeration<SearchResult> each(NamingEnumeration<SearchResult> results) {
        return new NamingEnumeration<>() {
            @Override
            public boolean hasMore() throws NamingException {
                return results.hasMore();
            }

            @Override
            public SearchResult next() throws NamingException {
                return of(results.next());
            }

            @Override
            public boolean hasMoreElements() {
                return results.hasMoreElements();
            }

            @Override
            public SearchResult nextElement() {
                try {
                    return next();
                } catch (NamingException e) {
                    throw new NoSuchElementException(e.getMessage());
                }
            }

            @Override
            public void close() throws NamingException {
                results.close();
            }
        };
    }

    @Override
    public Attributes getAttributes() {
        if (ids == null) {
            return null;
        }
        BasicAttributes attributes = new BasicAttributes(true);
        for (int i = 0; i < ids.length; i++) {
            BasicAttribute attribute = new BasicAttribute(ids[i]);
            for (Object value : values[i]) {
                attribute.add(value);
            }
            attributes.put(attribute);
        }
        return attributes;
    }

    @Override
    public void setAttributes(Attributes attributes) {
        try {
            keep(attributes);
        } catch (NamingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void keep(Attributes attributes) throws NamingException {
        if (attributes == null) {
            ids = null;
            values = null;
            return;
        }
        String[] keptIds = new String[attributes.size()];
        Object[][] keptValues = new Object[keptIds.length][];
        int kept = 0;
        NamingEnumeration<? extends Attribute> all = attributes.getAll();
        for (; all.hasMore() && kept < keptIds.length; kept++) {
            Attribute attribute = all.next();
            // attribute names repeat in every entry: one copy of each
            keptIds[kept] = attribute.getID().intern();
            keptValues[kept] = new Object[attribute.size()];
            for (int v = 0; v < keptValues[kept].length; v++) {
                keptValues[kept][v] = attribute.get(v);
            }
        }
        ids = Arrays.copyOf(keptIds, kept);
        values = Arrays.copyOf(keptValues, kept);
    }
}
