package org.ldapmailcow.adtest;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;

/** A self-signed CA certificate unrelated to any server here: the "wrong CA" of TLS tests. */
public final class OtherCa {

    private OtherCa() {
    }

    /** Writes the CA's certificate as PEM under {@code dir} and returns its path. */
    public static Path pem(Path dir) {
        Path store = dir.resolve("other-ca.p12");
        Path pem = dir.resolve("other-ca.pem");
        manageCertificates("generate-self-signed-certificate", "--keystore", store.toString(),
                "--keystore-password", "changeit", "--keystore-type", "PKCS12", "--alias", "ca",
                "--subject-dn", "CN=Other Test CA", "--key-algorithm", "EC", "--key-size-bits", "256",
                "--signature-algorithm", "SHA256withECDSA", "--basic-constraints-is-ca", "true");
        manageCertificates("export-certificate", "--keystore", store.toString(), "--keystore-password",
                "changeit", "--alias", "ca", "--output-format", "PEM", "--output-file", pem.toString());
        return pem;
    }

    private static void manageCertificates(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ResultCode result = ManageCertificates.main(null, output, output, args);
        if (result != ResultCode.SUCCESS) {
            throw new IllegalStateException("manage-certificates " + args[0] + " failed: " + output);
        }
    }
}
