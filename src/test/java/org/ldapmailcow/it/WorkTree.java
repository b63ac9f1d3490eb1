package org.ldapmailcow.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path below a directory (the directory itself included) with its type, size, modification time and, for
 * files, a hash of its content: two snapshots are equal only when nothing was created, removed or changed, not even
 * for a moment (a file created and deleted again changes its directory's modification time).
 */
final class WorkTree {

    private WorkTree() {
    }

    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String name = root.relativize(path).toString();
                String mtime = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().toString();
                tree.put(name.isEmpty() ? "." : name, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                        ? "directory, modified " + mtime
                        : "file of " + Files.size(path) + " bytes, modified " + mtime + ", sha256 " + sha256(path));
            }
        }
        return tree;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
