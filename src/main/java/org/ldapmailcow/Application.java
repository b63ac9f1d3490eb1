package org.ldapmailcow;

import org.ldapmailcow.ops.LogFormat;

/** Starts ldap-mailcow; see {@link Launcher} for the options and exit codes. */
public final class Application {

    public static void main(String[] args) {
        LogFormat.select(System.getenv()); // before the first logger
        System.exit(new Launcher(System.getenv(), System.out, System.err).run(args));
    }
}
