package org.ldapmailcow.openldaptest;

import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;

/**
 * Checks once per run that the OpenLDAP test server answers a bind as the sync account, like the AD tests'
 * extension: skipped with the reason when it does not, failed under {@code CI=true}.
 */
public final class OpenLdapExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenLdapExtension.class);
    private static final int TIMEOUT_MS = 5000;

    record Probe(OpenLdapServer server, String problem) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Probe probe = probeOnce(context);
        if (probe.problem() != null && !OpenLdapServer.inCi()) {
            return ConditionEvaluationResult.disabled("OpenLDAP test server not available: " + probe.problem());
        }
        return ConditionEvaluationResult.enabled("OpenLDAP test server");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        usable(probeOnce(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OpenLdapServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return usable(probeOnce(context));
    }

    private static OpenLdapServer usable(Probe probe) {
        if (probe.problem() != null) {
            if (OpenLdapServer.inCi()) {
                Assertions.fail("CI=true but the OpenLDAP test server is not usable (.ci/run should have started it): "
                        + probe.problem());
            }
            Assumptions.abort("OpenLDAP test server not available: " + probe.problem());
        }
        return probe.server();
    }

    private static Probe probeOnce(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Probe.class,
                key -> probe(System.getenv()), Probe.class);
    }

    static Probe probe(Map<String, String> environment) {
        OpenLdapServer server;
        try {
            server = OpenLdapServer.fromEnvironment(environment);
        } catch (IllegalStateException e) {
            return new Probe(null, e.getMessage());
        }
        try {
            LDAPURL url = new LDAPURL(server.ldapUri());
            try (LDAPConnection connection = new LDAPConnection(url.getHost(), url.getPort())) {
                connection.getConnectionOptions().setResponseTimeoutMillis(TIMEOUT_MS);
                connection.bind(server.bindDn(), server.bindPassword());
            }
        } catch (LDAPException e) {
            return new Probe(null, "bind as " + server.bindDn() + " on " + server.ldapUri() + " failed ("
                    + e.getResultCode() + "), settings from " + server.source()
                    + "; start it with .ci/openldap/start.sh && .ci/openldap/seed.sh");
        }
        return new Probe(server, null);
    }
}
