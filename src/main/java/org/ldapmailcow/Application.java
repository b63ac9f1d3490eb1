package org.ldapmailcow;

/** Starts ldap-mailcow; see {@link Launcher} for the options and exit codes. */
public final class Application {

    public static void main(String[] args) {
        System.exit(new Launcher(System.getenv(), System.out, System.err).run(args));
    }
}
