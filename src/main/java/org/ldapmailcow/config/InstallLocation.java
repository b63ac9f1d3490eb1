package org.ldapmailcow.config;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the service is installed: the directory of {@code ldap-mailcow.jar}, beside which {@code routes/} and
 * {@code templates/} ship, so that the jar runs from any working directory. Classes run from a directory (the
 * build's {@code target/classes}, an IDE) have no install location: then the working directory is used, the
 * repository root in development.
 */
public final class InstallLocation {

    private static final Path JAR_DIRECTORY = of(InstallLocation.class.getProtectionDomain().getCodeSource() == null
            ? null : InstallLocation.class.getProtectionDomain().getCodeSource().getLocation());

    private InstallLocation() {
    }

    /** The directory the defaults of the shipped directories are resolved against. */
    public static Path directory() {
        return JAR_DIRECTORY;
    }

    /** The directory holding the jar at {@code codeSource}; the working directory (empty path) for anything else. */
    static Path of(URL codeSource) {
        if (codeSource != null && "file".equals(codeSource.getProtocol())) {
            try {
                Path location = Path.of(codeSource.toURI());
                if (Files.isRegularFile(location) && location.getParent() != null) {
                    return location.getParent();
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a plain file URL: fall back to the working directory
            }
        }
        return Path.of("");
    }
}
