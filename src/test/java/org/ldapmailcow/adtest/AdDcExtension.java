package org.ldapmailcow.adtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Checks once per test run that the AD test DC answers (TCP connect and a simple bind as the bind account),
 * then lets {@link AdTest} tests run with an {@link AdDc} parameter. When it does not, every such test is
 * reported as skipped with the reason; under {@code CI=true} each one fails instead.
 */
public final class AdDcExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AdDcExtension.class);
    private static final int TIMEOUT_MS = 5000;
    /** The file the build prints after the tests (set in pom.xml). */
    static final String SKIP_NOTE_PROPERTY = "ldap-mailcow.ad-skip-note";
    /** Starts the DC (as root), seeds it and runs mvn -B test with it. */
    static final String RUN_THEM = "sudo .ci/run";

    /** The probe's outcome: the DC, or why there is none. */
    record Probe(AdDc dc, String problem) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Probe probe = probeOnce(context);
        if (probe.problem() != null && !AdDc.inCi()) {
            return ConditionEvaluationResult.disabled("AD test DC not available: " + probe.problem());
        }
        return ConditionEvaluationResult.enabled("AD test DC at " + (probe.dc() == null ? "?" : probe.dc().ldapUri()));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        usable(probeOnce(context), AdDc.inCi());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        usable(probeOnce(context), AdDc.inCi());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AdDc.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return usable(probeOnce(context), AdDc.inCi());
    }

    private static Probe probeOnce(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Probe.class,
                key -> noted(probe(System.getenv()), System.getProperty(SKIP_NOTE_PROPERTY), AdDc.inCi()), Probe.class);
    }

    /**
     * Writes why the AD tests are skipped, and how to run them, to the file the build prints on the console after
     * the tests (pom.xml: surefire keeps the tests' own output in its reports, where nobody looks).
     */
    static Probe noted(Probe probe, String noteFile, boolean ci) {
        if (probe.problem() != null && noteFile != null && !ci) {
            try {
                Files.writeString(Path.of(noteFile), skipNote(probe.problem()) + System.lineSeparator());
            } catch (IOException e) {
                // the tests are still reported as skipped with the reason
            }
        }
        return probe;
    }

    static String skipNote(String problem) {
        return "AD tests skipped: " + problem + ". To run them against a Samba AD DC: " + RUN_THEM;
    }

    /** The probed DC; otherwise aborts (skips) the test with the reason, or fails it when {@code ci}. */
    static AdDc usable(Probe probe, boolean ci) {
        if (probe.problem() != null) {
            if (ci) {
                Assertions.fail("CI=true but the AD test DC is not usable (.ci/run should have started it): "
                        + probe.problem());
            }
            Assumptions.abort("AD test DC not available: " + probe.problem());
        }
        return probe.dc();
    }

    static Probe probe(Map<String, String> environment) {
        AdDc dc;
        try {
            dc = AdDc.fromEnvironment(environment);
        } catch (IllegalStateException e) {
            return new Probe(null, e.getMessage());
        }
        URI uri = URI.create(dc.ldapUri());
        int port = uri.getPort() < 0 ? 389 : uri.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MS);
        } catch (Exception e) {
            return new Probe(null, "nothing answers on " + dc.ldapUri() + " (" + e.getMessage() + "), settings from "
                    + dc.source() + "; start it with ../shared/ad-test-dc/start.sh && seed.sh");
        }
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, dc.ldapUri());
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dc.bindDn());
        env.put(Context.SECURITY_CREDENTIALS, dc.bindPassword());
        env.put("com.sun.jndi.ldap.connect.timeout", Integer.toString(TIMEOUT_MS));
        env.put("com.sun.jndi.ldap.read.timeout", Integer.toString(TIMEOUT_MS));
        try {
            new InitialDirContext(env).close();
        } catch (NamingException e) {
            return new Probe(null, "bind as " + dc.bindDn() + " on " + dc.ldapUri() + " failed (" + e.getMessage()
                    + "); was seed.sh run?");
        }
        return new Probe(dc, null);
    }
}
