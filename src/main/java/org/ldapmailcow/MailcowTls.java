package org.ldapmailcow;

import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.ldapmailcow.config.PemTrust;
import org.ldapmailcow.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS towards mailcow's API: certificate and host name verified by default, against the JVM's trust store or
 * the private CA of {@code LDAP_MAILCOW_API_CA_FILE}. {@code LDAP_MAILCOW_API_TLS_VERIFY=false} is an explicit
 * opt-out, warned about at every start.
 */
final class MailcowTls {

    private static final Logger LOG = LoggerFactory.getLogger(MailcowTls.class);

    private MailcowTls() {
    }

    static void configure(HttpComponent http, Settings settings) {
        if (!settings.apiTlsVerify) {
            http.setSslContextParameters(parameters(new AcceptAnyCertificate()));
            http.setX509HostnameVerifier((host, session) -> true);
        } else if (settings.apiCaFile != null) {
            http.setSslContextParameters(parameters(PemTrust.trustManager(settings.apiCaFile, Settings.PREFIX + "API_CA_FILE")));
        }
    }

    static void warnIfUnverified(Settings settings) {
        if (!settings.apiTlsVerify && settings.apiHost.startsWith("https")) {
            LOG.warn("LDAP_MAILCOW_API_TLS_VERIFY=false: the mailcow API's certificate is NOT verified; anyone on the "
                    + "path can read the API key. Prefer LDAP_MAILCOW_API_CA_FILE.");
        }
    }

    private static SSLContextParameters parameters(X509TrustManager trustManager) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setTrustManager(trustManager);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    /** Only for the explicit opt-out. */
    private static final class AcceptAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
