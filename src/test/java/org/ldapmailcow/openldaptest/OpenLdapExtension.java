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
 * Checks once per run that the OpenLDAP test server (or, in {@link Ds389Extension}, the 389 DS test instance)
 * answers a bind as the sync account, like the AD tests' extension: skipped with the reason when it does not,
 * failed under {@code CI=true}.
 */
public class OpenLdapExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {

    private static final int TIMEOUT_MS = 5000;

    private final OpenLdapServer.Kind kind;
    private final ExtensionContext.Namespace namespace;

    public OpenLdapExtension() {
        this(OpenLdapServer.Kind.OPENLDAP);
    }

    protected OpenLdapExtension(OpenLdapServer.Kind kind) {
        this.kind = kind;
        this.namespace = ExtensionContext.Namespace.create(OpenLdapExtension.class, kind);
    }

    record Probe(OpenLdapServer server, String problem) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Probe probe = probeOnce(context);
        if (probe.problem() != null && !OpenLdapServer.inCi()) {
            return ConditionEvaluationResult.disabled(kind.label + " not available: " + probe.problem());
        }
        return ConditionEvaluationResult.enabled(kind.label);
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

    private OpenLdapServer usable(Probe probe) {
        if (probe.problem() != null) {
            if (OpenLdapServer.inCi()) {
                Assertions.fail("CI=true but the " + kind.label + " is not usable (.ci/run should have started it): "
                        + probe.problem());
            }
            Assumptions.abort(kind.label + " not available: " + probe.problem());
        }
        return probe.server();
    }

    private Probe probeOnce(ExtensionContext context) {
        return context.getRoot().getStore(namespace).getOrComputeIfAbsent(Probe.class,
                key -> probe(System.getenv(), kind), Probe.class);
    }

    static Probe probe(Map<String, String> environment) {
        return probe(environment, OpenLdapServer.Kind.OPENLDAP);
    }

    static Probe probe(Map<String, String> environment, OpenLdapServer.Kind kind) {
        OpenLdapServer server;
        try {
            server = OpenLdapServer.fromEnvironment(environment, kind);
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
                    + "; start it with " + kind.startHint());
        }
        return new Probe(server, null);
    }
}
