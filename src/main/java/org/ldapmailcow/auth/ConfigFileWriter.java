package org.ldapmailcow.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.ldapmailcow.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the rendered Dovecot and SOGo files below {@code LDAP_MAILCOW_CONF_DIR}, as the route
 * {@code render-auth-templates} drives it: {@link #prepare} puts the template model in the body, {@link #stage}
 * keeps each rendered file, {@link #writeAll} writes them once all have rendered.
 *
 * <p>A file whose content would not change is left alone (its modification time too). A changed file's previous
 * version is kept as {@code <file>.ldap_mailcow_bak}, then {@code .ldap_mailcow_bak.1}, {@code .2}, ...; the new one
 * replaces it in one rename, with its permissions set before it holds any content. In a dry run nothing is
 * written; the log says what would change.
 */
public class ConfigFileWriter {

    public static final String BACKUP_SUFFIX = ".ldap_mailcow_bak";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWriter.class);

    /** What {@link #write} did. */
    public enum Outcome {
        UNCHANGED, CREATED, CHANGED, WOULD_CREATE, WOULD_CHANGE;

        /** Whether the file's reader has to be restarted (or would have to be, after a dry run). */
        public boolean changes() {
            return this != UNCHANGED;
        }
    }

    private final Settings settings;

    public ConfigFileWriter(Settings settings) {
        this.settings = settings;
    }

    /** Starts a run: the files it renders are kept in the returned object until {@link #writeAll}. */
    public PendingFiles prepare() {
        return new PendingFiles(AuthTemplateModel.of(settings), settings.confDir, settings.dryRun);
    }

    /**
     * Keeps the rendered body as {@code file} (relative to the conf dir), read by {@code container}; the template
     * model becomes the body again for the next template. It takes the exchange, not the rendered text, because
     * Camel's bean parameter binding logs every value it binds (at TRACE), and the text holds the bind password.
     */
    public AuthTemplateModel stage(Exchange exchange, String file, String container, FileAccess access)
            throws InvalidPayloadException {
        PendingFiles pending = exchange.getVariable(PendingFiles.VARIABLE, PendingFiles.class);
        if (pending == null) {
            throw new IllegalStateException("No rendering run in progress: call prepare first");
        }
        pending.add(new PendingFiles.Rendered(file, exchange.getMessage().getMandatoryBody(String.class), container,
                access));
        return pending.model();
    }

    /**
     * Writes every kept file that changed and logs which mailcow containers to restart.
     *
     * @return those containers, in the order their files were rendered (empty in a dry run)
     */
    public List<String> writeAll(PendingFiles pending) {
        Set<String> restart = new LinkedHashSet<>();
        for (PendingFiles.Rendered file : pending.rendered()) {
            Path target = pending.confDir().resolve(file.file());
            try {
                if (write(target, file.content(), file.access(), pending.dryRun()).changes()) {
                    restart.add(file.container());
                }
            } catch (IOException | RuntimeException e) {
                throw new AuthConfigException(pending.model().redact(
                        "Cannot write " + target + ": " + e.getClass().getSimpleName() + " " + e.getMessage()));
            }
        }
        String containers = String.join(" ", restart);
        if (restart.isEmpty()) {
            LOG.info("Dovecot and SOGo configuration is up to date in {}", pending.confDir());
        } else if (pending.dryRun()) {
            LOG.info("Dry run: no configuration file written; writing them would need a restart of {}", containers);
            return List.of();
        } else {
            LOG.warn("Dovecot/SOGo authentication configuration changed; restart the mailcow containers that read it: "
                    + "docker compose restart {}", containers);
        }
        return List.copyOf(restart);
    }

    /** Writes {@code content} to {@code target} unless it is there already; see the class comment. */
    public Outcome write(Path target, String content, FileAccess access, boolean dryRun) throws IOException {
        byte[] bytes = content.getBytes(UTF_8);
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException(target + " exists and is not a regular file");
        }
        if (Files.exists(target)) {
            if (Arrays.equals(Files.readAllBytes(target), bytes)) {
                LOG.info("{} is up to date", target);
                if (!dryRun) {
                    restrict(target, access, access == FileAccess.SECRET_SCRIPT);
                }
                return Outcome.UNCHANGED;
            }
            if (dryRun) {
                LOG.info("Dry run: {} would change (not written)", target);
                return Outcome.WOULD_CHANGE;
            }
            Path backup = freeBackupName(target);
            Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
            restrict(backup, access, false);
            replace(target, bytes, access);
            LOG.info("Wrote {}; its previous version is kept as {}", target, backup.getFileName());
            return Outcome.CHANGED;
        }
        if (dryRun) {
            LOG.info("Dry run: {} would be created (not written)", target);
            return Outcome.WOULD_CREATE;
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        replace(target, bytes, access);
        LOG.info("Wrote {}", target);
        return Outcome.CREATED;
    }

    /** {@code <file>.ldap_mailcow_bak}, else the first free {@code <file>.ldap_mailcow_bak.N}. */
    static Path freeBackupName(Path target) {
        String name = target.getFileName() + BACKUP_SUFFIX;
        Path backup = target.resolveSibling(name);
        for (int n = 1; Files.exists(backup); n++) {
            backup = target.resolveSibling(name + "." + n);
        }
        return backup;
    }

    /** Writes a temporary file with the final permissions beside the target, then renames it over the target. */
    private static void replace(Path target, byte[] bytes, FileAccess access) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        Path tmp = posix(dir)
                ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(access.permissions()))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            if (posix(dir)) {
                Files.setPosixFilePermissions(tmp, access.permissions());
            }
            Files.write(tmp, bytes);
            // fails (busy) where the file itself is a bind mount: mount the directory instead
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Takes away whatever {@code access} does not grant (a file the Python tool wrote world-readable, or its
     * backup); never widens what is there, except the owner's execute bit of a script that has to run.
     */
    private static void restrict(Path file, FileAccess access, boolean executable) throws IOException {
        if (!posix(file)) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> wanted = EnumSet.noneOf(PosixFilePermission.class);
        wanted.addAll(current);
        wanted.retainAll(access.permissions());
        if (executable) {
            wanted.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (!wanted.equals(current)) {
            Files.setPosixFilePermissions(file, wanted);
            LOG.info("Set the permissions of {} to {}", file, PosixFilePermissions.toString(wanted));
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
