package org.ldapmailcow.ldap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.Callable;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory JNDI uses for {@code ldaps://} connections ({@code java.naming.ldap.factory.socket}).
 * JNDI only takes a class name and calls its static {@link #getDefault()}, so the real factory (built from the
 * configured CA) is handed over through a thread-local that {@link LdapContextFactory} sets for exactly the
 * duration of each JNDI call. Nothing here touches the JVM's default {@code SSLContext}; a connection attempted
 * outside such a call fails instead of falling back to some other trust configuration.
 * <p>
 * Sockets from {@link #verifyingHostNames(SSLSocketFactory)} check the server's host name themselves (LDAPS
 * rules, RFC 6125), so the check does not depend on JNDI's own, which the JVM-wide system property
 * {@code com.sun.jndi.ldap.object.disableEndpointIdentification} switches off.
 */
public final class LdapTlsSocketFactory {

    private static final ThreadLocal<SSLSocketFactory> CURRENT = new ThreadLocal<>();

    private LdapTlsSocketFactory() {
    }

    /** Called reflectively by JNDI when it opens an {@code ldaps://} socket. */
    public static SocketFactory getDefault() {
        SSLSocketFactory factory = CURRENT.get();
        if (factory == null) {
            throw new IllegalStateException("no LDAP TLS settings for this thread: ldaps:// connections must be "
                    + "opened through LdapContextFactory");
        }
        return factory;
    }

    /**
     * Runs {@code action} with {@code factory} as the one {@link #getDefault()} returns, and with this class's
     * loader as context class loader (JNDI loads the socket factory class through it); null runs it as is.
     */
    static <T> T using(SSLSocketFactory factory, Callable<T> action) throws Exception {
        if (factory == null) {
            return action.call();
        }
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        SSLSocketFactory previous = CURRENT.get();
        CURRENT.set(factory);
        thread.setContextClassLoader(LdapTlsSocketFactory.class.getClassLoader());
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previousLoader);
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** {@code factory}, with LDAPS host name verification switched on for every socket it creates. */
    static SSLSocketFactory verifyingHostNames(SSLSocketFactory factory) {
        return new HostNameVerifying(factory);
    }

    private static final class HostNameVerifying extends SSLSocketFactory {

        private final SSLSocketFactory delegate;

        HostNameVerifying(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket verifying(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("LDAPS");
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return verifying(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return verifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return verifying(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return verifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return verifying(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return verifying(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
