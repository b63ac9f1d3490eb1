package org.ldapmailcow.it;

import static org.ldapmailcow.it.OpenLdapDeltaTest.unchangedCyclesAndChanges;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.openldaptest.Ds389Test;
import org.ldapmailcow.openldaptest.OpenLdapServer;

/**
 * Issue 16 on the real 389 DS test instance (.ci/ds389, with the USN plugin): while the rootDSE's lastusn stands still
 * a cycle reads no directory entry and asks mailcow nothing; after a change the next cycle reads in full.
 */
@Ds389Test
class Ds389DeltaTest {

    static final OpenLdapDeltaTest.Shape DS389 = new OpenLdapDeltaTest.Shape("389ds", "lastusn",
            List.of("top", "organizationalUnit"), "mailRecipient", "mailAlternateAddress",
            List.of("top", "groupOfUniqueNames", "mailGroup"), "uniqueMember");

    @TempDir
    Path work;

    @Test
    void anUnchangedDirectoryCostsNoEntryReadAndNoMailcowRequestAndEachChangeIsReadInFull(OpenLdapServer ds)
            throws Exception {
        unchangedCyclesAndChanges(work, ds, DS389);
    }
}
