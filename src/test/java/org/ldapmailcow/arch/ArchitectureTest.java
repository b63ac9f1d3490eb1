package org.ldapmailcow.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages' layering, from the bottom up (a package may use only those below it):
 * <ol>
 * <li>{@code model}: the values every part speaks of (e-mail address, mailbox and alias change, plan, the cycle
 * run); uses nothing of ours;</li>
 * <li>{@code directory}: the directory's users and groups, its kinds of server ({@code DirectoryType}) and how
 * entries are read;</li>
 * <li>{@code config}: the settings read from the environment (their defaults depend on the directory's kind);</li>
 * <li>{@code ldap} (the JNDI connection), {@code mailcow} (its API), {@code state} (the state file), {@code auth}
 * (the Dovecot and SOGo files), {@code ops} (health, metrics, reports, logs): one outside system each, configured by
 * the settings; none uses {@code sync};</li>
 * <li>{@code sync}: the cycle and its decisions;</li>
 * <li>the root package: the launcher and the Camel configuration that wire it all.</li>
 * </ol>
 * No package loops. The demo (embedded directory, mailcow emulator) is built apart from the service (src/demo) and
 * nothing of the service uses it.
 */
@AnalyzeClasses(packages = "org.ldapmailcow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageLoops = slices().matching("org.ldapmailcow.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheTopUsesTheSync = noClasses()
            .that().resideInAnyPackage("org.ldapmailcow.model..", "org.ldapmailcow.config..",
                    "org.ldapmailcow.directory..", "org.ldapmailcow.ldap..", "org.ldapmailcow.mailcow..",
                    "org.ldapmailcow.state..", "org.ldapmailcow.auth..", "org.ldapmailcow.ops..")
            .should().dependOnClassesThat().resideInAPackage("org.ldapmailcow.sync..");

    @ArchTest
    static final ArchRule theModelUsesNothingOfOurs = noClasses()
            .that().resideInAPackage("org.ldapmailcow.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ldapmailcow", "org.ldapmailcow.auth..",
                    "org.ldapmailcow.config..", "org.ldapmailcow.directory..", "org.ldapmailcow.ldap..",
                    "org.ldapmailcow.mailcow..",
                    "org.ldapmailcow.ops..", "org.ldapmailcow.state..", "org.ldapmailcow.sync..",
                    "org.ldapmailcow.demo..");

    @ArchTest
    static final ArchRule theServiceDoesNotUseTheDemo = noClasses()
            .that().resideOutsideOfPackage("org.ldapmailcow.demo..")
            .should().dependOnClassesThat().resideInAPackage("org.ldapmailcow.demo..");
}
