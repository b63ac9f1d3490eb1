package org.ldapmailcow.ldap;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.ldapmailcow.config.PemTrust;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.config.SettingsException;

/**
 * Opens the LDAP connections of the service: every {@link #get()} returns a fresh, bound {@link LdapContext}
 * (simple bind), which is what camel-ldap needs for paged searches when this is bound as a prototype bean:
 * {@code registry.bindAsPrototype("ldapContext", LdapContext.class, factory)}. camel-ldap closes it after
 * each search.
 * <ul>
 *   <li>Connect and read timeouts come from the settings, so a hung server cannot block a cycle forever.
 *       The connect timeout also bounds the TLS handshake.</li>
 *   <li>{@code objectGUID} and {@code objectSid} are returned as {@code byte[]}.</li>
 *   <li>{@code ldaps://}: the server certificate and its host name are verified. With
 *       {@code LDAP_MAILCOW_LDAP_CA_FILE} (PEM, one or more certificates) only those certificates are trusted;
 *       without it the JVM's default trust store is. The JVM-wide default SSL context is left alone.</li>
 *   <li>Continuation references to AD's configuration and DNS partitions end a search normally; any other
 *       referral and every other error fail it (see {@link PartitionReferrals}).</li>
 *   <li>Failures become a {@link LdapConnectionException} with a one-line reason that never contains the
 *       bind password.</li>
 * </ul>
 */
public final class LdapContextFactory implements Supplier<LdapContext> {

    static final String BINARY_ATTRIBUTES = "objectGUID objectSid invocationId";
    private static final String CA_FILE_VARIABLE = Settings.PREFIX + "LDAP_CA_FILE";

    private final String uri;
    private final String bindDn;
    private final String bindPassword;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLSocketFactory tls;
    private final String trustSource;
    private final Hashtable<String, Object> environment;
    /** What the server taught about page sizes, for every connection of this factory. */
    private final PageSizeCap pageSizes = new PageSizeCap();

    private LdapContextFactory(Settings settings, String uri) {
        this.uri = uri;
        this.bindDn = settings.bindDn;
        this.bindPassword = settings.bindPassword();
        this.connectTimeout = settings.ldapConnectTimeout;
        this.readTimeout = settings.ldapReadTimeout;
        if (bindPassword == null || bindPassword.isEmpty()) {
            // an LDAP simple bind with an empty password is an anonymous ("unauthenticated") bind
            throw new SettingsException(List.of(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD is empty; "
                    + "refusing an unauthenticated bind"));
        }
        boolean ldaps = usesTls(uri);
        this.tls = ldaps ? socketFactory(settings.ldapCaFile) : null;
        this.trustSource = settings.ldapCaFile == null ? "the JVM's default trust store"
                : CA_FILE_VARIABLE + " (" + settings.ldapCaFile + ")";

        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, uri);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, bindDn);
        env.put(Context.SECURITY_CREDENTIALS, bindPassword);
        env.put("java.naming.ldap.version", "3");
        env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(connectTimeout.toMillis()));
        env.put("com.sun.jndi.ldap.read.timeout", Long.toString(readTimeout.toMillis()));
        env.put("com.sun.jndi.ldap.connect.pool", "false");
        env.put("java.naming.ldap.attributes.binary", BINARY_ATTRIBUTES);
        // see PartitionReferrals: the reference URLs are needed, and limit errors must not hide behind them
        env.put(Context.REFERRAL, "throw");
        env.put(Context.BATCHSIZE, "0");
        if (ldaps) {
            env.put("java.naming.ldap.factory.socket", LdapTlsSocketFactory.class.getName());
        }
        this.environment = env;
    }

    /** Connections to {@code settings.ldapUri}. */
    public static LdapContextFactory create(Settings settings) {
        return create(settings, settings.ldapUri);
    }

    /**
     * Connections to {@code uri} (e.g. {@code settings.ldapGcUri}) with the bind account, timeouts and CA of
     * {@code settings}. A space-separated list of URIs is tried in order by JNDI; its schemes must agree.
     *
     * @throws SettingsException when the CA file cannot be used or the bind password is empty
     */
    public static LdapContextFactory create(Settings settings, String uri) {
        return new LdapContextFactory(settings, uri);
    }

    /** A new connection, bound as the bind account. */
    @Override
    public LdapContext get() {
        Hashtable<String, Object> env = new Hashtable<>(environment);
        try {
            LdapContext context = LdapTlsSocketFactory.using(tls, () -> new InitialLdapContext(env, null));
            return GuardedLdapContext.wrap(context, tls, uri, pageSizes);
        } catch (Exception e) {
            throw failure(e);
        }
    }

    public String uri() {
        return uri;
    }

    @Override
    public String toString() {
        return "LdapContextFactory[" + uri + " as " + bindDn + (tls == null ? "" : ", trusting " + trustSource) + "]";
    }

    // ---- TLS ----

    private static boolean usesTls(String uri) {
        List<String> schemes = Arrays.stream(uri.strip().split("\\s+"))
                .map(u -> u.contains("://") ? u.substring(0, u.indexOf("://")).toLowerCase(Locale.ROOT) : "")
                .distinct().toList();
        if (schemes.size() != 1) {
            throw new SettingsException(List.of("LDAP URIs must all use ldap:// or all use ldaps://, got '" + uri
                    + "'"));
        }
        return schemes.get(0).equals("ldaps");
    }

    private static SSLSocketFactory socketFactory(Path caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return LdapTlsSocketFactory.verifyingHostNames(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new SettingsException(List.of(CA_FILE_VARIABLE + ": cannot set up TLS: " + e.getMessage()));
        }
    }

    /** A trust store holding exactly the certificates of a PEM file. */
    static KeyStore trustStore(Path pemFile) {
        return PemTrust.trustStore(pemFile, CA_FILE_VARIABLE);
    }

    // ---- errors ----

    /** JNDI's messages never hold the bind password (it is only in the environment), so they are kept whole. */
    private LdapConnectionException failure(Exception e) {
        return new LdapConnectionException(oneLine("LDAP connection to " + uri + " failed: " + reason(e)), e);
    }

    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException auth) {
                return "bind as '" + bindDn + "' refused (wrong bind DN or password?): "
                        + oneLine(auth.getExplanation());
            }
            if (t instanceof CertificateException && String.valueOf(t.getMessage()).contains("matching")) {
                return "TLS host name check failed, the server certificate does not name this host: "
                        + oneLine(t.getMessage());
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || t instanceof SSLException && String.valueOf(t.getMessage()).contains("PKIX")) {
                return "TLS certificate not trusted by " + trustSource + ": " + oneLine(t.getMessage());
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return "no connection within the connect timeout of " + connectTimeout.toSeconds() + " s ("
                        + oneLine(t.getMessage()) + ")";
            }
            if (t instanceof ConnectException) {
                return "cannot connect: " + oneLine(t.getMessage());
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + oneLine(t.getMessage());
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed: " + oneLine(t.getMessage());
            }
            if (t instanceof NamingException && String.valueOf(t.getMessage()).contains("read timed out")) {
                return "no answer within the read timeout of " + readTimeout.toSeconds() + " s";
            }
        }
        return oneLine(e.toString());
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
