package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.directory.DeltaDecision.ChangedEntry;
import org.ldapmailcow.directory.DeltaDecision.Verdict;
import org.ldapmailcow.directory.DirectoryType.ChangeTracking;

/** Issue 16: when a cycle may read only the directory's changes, and which changes concern the sync. */
class DeltaDecisionTest {

    private static final String DC = "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Site,CN=Sites,CN=Configuration,DC=example,DC=local";
    private static final ChangeMark STORED = new ChangeMark(DC, "aa01", "6000", "s1", true, "DC=example,DC=local");
    private static final String BASE = "ou=mail users,dc=example,dc=local";

    private static Verdict ad(ChangeMark stored, ChangeMark now) {
        return DeltaDecision.decide(true, 5, 12, false, ChangeTracking.USN, stored, now);
    }

    private static ChangeMark now(String server, String invocation, String usn, String settings) {
        return new ChangeMark(server, invocation, usn, settings, false, "DC=example,DC=local");
    }

    @Test
    void adReadsADeltaFromTheSameDcWithItsUsnAtOrAboveTheStoredOne() {
        assertThat(ad(STORED, now(DC, "aa01", "6000", "s1")).full()).isFalse();
        assertThat(ad(STORED, now(DC, "aa01", "6042", "s1")).full()).isFalse();
    }

    @Test
    void fullCyclesReadEverythingAndSayWhy() {
        assertThat(DeltaDecision.decide(true, 1, 12, true, ChangeTracking.USN, STORED, STORED).reason())
                .isEqualTo("first cycle since start");
        assertThat(DeltaDecision.decide(true, 13, 12, true, ChangeTracking.USN, STORED, STORED).reason())
                .contains("every 12. cycle");
        assertThat(DeltaDecision.decide(true, 7, 12, true, ChangeTracking.USN, STORED, STORED).reason())
                .contains("previous cycle failed");
        assertThat(DeltaDecision.decide(false, 7, 12, false, ChangeTracking.USN, STORED, STORED).reason())
                .contains("LDAP_MAILCOW_DELTA_SYNC=false");
    }

    @Test
    void anyDoubtAboutTheDcMeansAFullRead() {
        assertThat(ad(STORED, now(DC, "bb02", "6042", "s1")).reason()).contains("invocation id changed");
        assertThat(ad(STORED, now(DC.replace("DC1", "DC2"), "aa01", "6042", "s1")).reason())
                .contains("another directory server");
        assertThat(ad(STORED, now(DC, "aa01", "5999", "s1")).reason()).contains("went back (5999 < 6000)");
        assertThat(ad(STORED, now(DC, "aa01", "6042", "s2")).reason()).contains("settings changed");
        assertThat(ad(null, now(DC, "aa01", "6042", "s1")).reason()).contains("no earlier read");
        assertThat(ad(STORED, now(DC, "aa01", null, "s1")).reason()).contains("no change counter");
        assertThat(ad(STORED, now(DC, "aa01", "x", "s1")).full()).isTrue();
    }

    @Test
    void withoutSightOfDeletedObjectsOnlyAnUnchangedUsnAllowsADelta() {
        ChangeMark blind = STORED.withDeletionsVisible(false);
        assertThat(ad(blind, now(DC, "aa01", "6000", "s1")).full()).isFalse();
        assertThat(ad(blind, now(DC, "aa01", "6001", "s1")).reason()).contains("cannot read deleted objects");
    }

    @Test
    void openLdapAnd389DsSaveTheReadOnlyWhileTheirCounterStands() {
        ChangeMark csn = new ChangeMark("ldap://ol", "", "contextcsn:20261203050822.494108Z#000000#000#000000", "s1",
                false, "dc=example,dc=local");
        ChangeMark moved = new ChangeMark("ldap://ol", "", "contextcsn:20261203060000.000000Z#000000#000#000000", "s1",
                false, "dc=example,dc=local");
        assertThat(DeltaDecision.decide(true, 2, 12, false, ChangeTracking.CONTEXT_CSN, csn, csn).full()).isFalse();
        // a counter that moved names it without the hint to switch it on
        assertThat(DeltaDecision.decide(true, 2, 12, false, ChangeTracking.CONTEXT_CSN, csn, moved).reason())
                .isEqualTo("the directory changed (contextCSN of the naming context), and OpenLDAP shows no deletions "
                        + "to a delta");
        ChangeMark none = new ChangeMark("ldap://ds", "", null, "s1", false, null);
        assertThat(DeltaDecision.decide(true, 2, 12, false, ChangeTracking.LAST_USN, none, none).reason())
                .contains("lastusn or lastchangenumber");
    }

    @Test
    void changesConcernTheSyncUnderTheBaseDnForKnownUsersAndForGroups() {
        Set<String> known = Set.of("guid-kim");
        ChangedEntry elsewhere = new ChangedEntry("guid-x", "cn=x,ou=other,dc=example,dc=local", false, null, false);
        ChangedEntry inside = new ChangedEntry("guid-new", "cn=new," + BASE, false, null, false);
        ChangedEntry movedOut = new ChangedEntry("guid-kim", "cn=kim,ou=other,dc=example,dc=local", false, null, false);
        ChangedEntry deletedInside = new ChangedEntry("guid-y", "cn=y\\0adel:1,cn=deleted objects,dc=example,dc=local",
                true, BASE, false);
        ChangedEntry deletedElsewhere = new ChangedEntry("guid-z", "cn=z\\0adel:2,cn=deleted objects,dc=example,dc=local",
                true, "ou=other,dc=example,dc=local", false);
        ChangedEntry groupElsewhere = new ChangedEntry("guid-g", "cn=g,ou=other,dc=example,dc=local", false, null, true);

        assertThat(DeltaDecision.classify(List.of(elsewhere, deletedElsewhere), BASE, known).relevant()).isFalse();
        assertThat(DeltaDecision.classify(List.of(elsewhere, inside), BASE, known).relevant()).isTrue();
        assertThat(DeltaDecision.classify(List.of(movedOut), BASE, known).relevant()).isTrue();
        assertThat(DeltaDecision.classify(List.of(deletedInside), BASE, known).relevant()).isTrue();
        DeltaDecision.Changes group = DeltaDecision.classify(List.of(groupElsewhere), BASE, known);
        assertThat(group.relevant() && group.groupChanged()).isTrue();
        assertThat(DeltaDecision.classify(List.of(inside), BASE, known).groupChanged()).isFalse();
    }
}
