package org.ldapmailcow.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before anything is opened, that the state file can be written, and says how to fix it when not. The
 * usual cause is a switch from the Python tool, which ran as root, to the image, which does not: the state file
 * and its directory on the host still belong to root.
 */
public final class Volumes {

    private Volumes() {
    }

    /** Throws an IOException naming the path, the user and the fix when {@code dbFile} cannot be written. */
    public static void requireWritableState(Path dbFile) throws IOException {
        Path file = dbFile.toAbsolutePath();
        Path dir = file.getParent();
        Path blocked = null;
        if (Files.exists(file) && !Files.isWritable(file)) {
            blocked = file;
        } else if (dir != null && Files.isDirectory(dir) && !Files.isWritable(dir)) {
            blocked = dir;
        }
        if (blocked != null) {
            throw new IOException("cannot write " + blocked + " as " + user() + "; give this user the directory "
                    + dir + " and the files in it (for the image, on the host: chown -R 10001:10001 data/ldap), "
                    + "or run the container as root");
        }
    }

    private static String user() {
        try {
            return "uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return "user " + System.getProperty("user.name");
        }
    }
}
