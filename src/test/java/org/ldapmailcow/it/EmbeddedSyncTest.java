package org.ldapmailcow.it;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh embedded directory, mailcow emulator and state file for every test. */
abstract class EmbeddedSyncTest {

    @TempDir
    Path work;
    SyncHarness h;

    @BeforeEach
    void startHarness() throws Exception {
        h = new SyncHarness(work);
    }

    @AfterEach
    void stopHarness() throws Exception {
        h.close();
    }
}
