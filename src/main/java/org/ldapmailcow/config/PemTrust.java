package org.ldapmailcow.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust built from a PEM file of CA certificates (a private CA), used instead of the JVM's trust store. A file
 * that cannot be used is a configuration problem naming its variable.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** A trust store holding exactly the certificates of the PEM file. */
    public static KeyStore trustStore(Path pemFile, String variable) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw problem(variable + ": cannot read certificates from " + pemFile + ": " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw problem(variable + ": " + pemFile + " holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw problem(variable + ": cannot use " + pemFile + ": " + e.getMessage());
        }
    }

    public static X509TrustManager trustManager(Path pemFile, String variable) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore(pemFile, variable));
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw problem(variable + ": no X.509 trust manager available");
        } catch (GeneralSecurityException e) {
            throw problem(variable + ": cannot set up TLS: " + e.getMessage());
        }
    }

    private static SettingsException problem(String line) {
        return new SettingsException(List.of(line.replace('\n', ' ')));
    }
}
