package org.ldapmailcow.it;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.listener.ProxyRequestHandler;
import com.unboundid.ldap.listener.SearchEntryTransformer;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultEntryProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ObjectPair;

/**
 * An LDAP proxy in front of a real directory server (UnboundID's ProxyRequestHandler) that records every search
 * that passes, with the entries it returned: what the directory was asked, counted on the wire.
 */
final class CountingLdapProxy implements AutoCloseable {

    /** One search request as the directory got it, and how many entries went back (all its pages). */
    static final class Search {
        final String base;
        final int scope;
        final String filter;
        final AtomicInteger entries = new AtomicInteger();

        Search(String base, int scope, String filter) {
            this.base = base;
            this.scope = scope;
            this.filter = filter;
        }

        @Override
        public String toString() {
            return "search base='" + base + "' scope=" + scope + " filter=" + filter + " entries=" + entries;
        }
    }

    private final LDAPListener listener;
    private final List<Search> searches = new CopyOnWriteArrayList<>();

    CountingLdapProxy(String ldapUri) throws Exception {
        URI target = URI.create(ldapUri);
        ProxyRequestHandler proxy = new ProxyRequestHandler(new SingleServerSet(target.getHost(), target.getPort()));
        LDAPListenerConfig config = new LDAPListenerConfig(0, new Counting(proxy));
        config.setListenAddress(InetAddress.getLoopbackAddress());
        listener = new LDAPListener(config);
        listener.startListening();
    }

    String uri() {
        return "ldap://127.0.0.1:" + listener.getListenPort();
    }

    List<Search> searches() {
        return List.copyOf(searches);
    }

    void reset() {
        searches.clear();
    }

    @Override
    public void close() {
        listener.shutDown(true);
    }

    private final class Counting extends LDAPListenerRequestHandler implements SearchEntryTransformer {
        private final LDAPListenerRequestHandler delegate;
        private final Map<Integer, Search> running = new ConcurrentHashMap<>();

        Counting(LDAPListenerRequestHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection connection) throws LDAPException {
            Counting handler = new Counting(delegate.newInstance(connection));
            connection.addSearchEntryTransformer(handler);
            return handler;
        }

        @Override
        public LDAPMessage processSearchRequest(int messageID, SearchRequestProtocolOp request, List<Control> controls) {
            Search search = new Search(request.getBaseDN(), request.getScope().intValue(), request.getFilter().toString());
            searches.add(search);
            running.put(messageID, search);
            try {
                return delegate.processSearchRequest(messageID, request, controls);
            } finally {
                running.remove(messageID);
            }
        }

        @Override
        public ObjectPair<SearchResultEntryProtocolOp, Control[]> transformEntry(int messageID,
                SearchResultEntryProtocolOp entry, Control[] controls) {
            Search search = running.get(messageID);
            if (search != null) {
                search.entries.incrementAndGet();
            }
            return new ObjectPair<>(entry, controls);
        }

        @Override
        public LDAPMessage processBindRequest(int id, BindRequestProtocolOp request, List<Control> controls) {
            return delegate.processBindRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processAddRequest(int id, AddRequestProtocolOp request, List<Control> controls) {
            return delegate.processAddRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processCompareRequest(int id, CompareRequestProtocolOp request, List<Control> controls) {
            return delegate.processCompareRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processDeleteRequest(int id, DeleteRequestProtocolOp request, List<Control> controls) {
            return delegate.processDeleteRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processExtendedRequest(int id, ExtendedRequestProtocolOp request, List<Control> controls) {
            return delegate.processExtendedRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processModifyRequest(int id, ModifyRequestProtocolOp request, List<Control> controls) {
            return delegate.processModifyRequest(id, request, controls);
        }

        @Override
        public LDAPMessage processModifyDNRequest(int id, ModifyDNRequestProtocolOp request, List<Control> controls) {
            return delegate.processModifyDNRequest(id, request, controls);
        }
    }
}
