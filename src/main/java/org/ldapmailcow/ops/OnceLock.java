package org.ldapmailcow.ops;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --once} beside a running service: it takes the same OS lock the service's leader holds
 * ({@link CycleLeadership#lockFile}), at once and without waiting, and holds it for its one cycle, so a service
 * started meanwhile waits as standby. Dry runs take no lock: they only read.
 */
public final class OnceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private OnceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Throws {@link AnotherInstanceException} when another process (or this one) holds the lock. */
    public static OnceLock acquire(Path dbFile) throws IOException {
        Path file = CycleLeadership.lockFile(dbFile);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            // the whole file: overlaps the region the cluster service locks
            lock = channel.tryLock(0, Long.MAX_VALUE, false);
        } catch (OverlappingFileLockException heldHere) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new AnotherInstanceException("another instance holds " + file + " and cycles against the same state file; "
                    + "this run did nothing (stop that instance, or leave the cycles to it)");
        }
        return new OnceLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel, at the latest when the process ends
        }
    }

    /** Another instance cycles against this state file. */
    public static final class AnotherInstanceException extends IOException {
        private static final long serialVersionUID = 1L;

        AnotherInstanceException(String message) {
            super(message);
        }
    }
}
