package org.ldapmailcow;

import java.time.Duration;
import java.util.function.Supplier;

import javax.naming.ldap.LdapContext;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.ldapmailcow.directory.LdapConnectionException;
import org.ldapmailcow.sync.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start for the directory and for mailcow's API, with capped exponential backoff, so the service
 * does not crash-loop when it starts before them. A service waits as long as it takes; {@code --once} gives up
 * after the start-up timeout. Refusals that waiting cannot fix (bad credentials, a rejected API key) end the
 * wait at once.
 */
public final class Peers {

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);

    private final Supplier<LdapContext> directory;
    private final ProducerTemplate template;
    private final Duration timeout;

    public Peers(Supplier<LdapContext> directory, ProducerTemplate template, Duration timeout) {
        this.directory = directory;
        this.template = template;
        this.timeout = timeout;
    }

    public void awaitDirectory() {
        await("the directory", () -> {
            try (AutoCloseableContext ignored = new AutoCloseableContext(directory.get())) {
                return null;
            }
        });
    }

    public void awaitMailcow() {
        await("the mailcow API", () -> template.requestBodyAndHeader("direct:mailcow-probe", null, "probe", true));
    }

    private void await(String peer, Attempt attempt) {
        RetryPolicyBuilder<Object> policy = RetryPolicy.builder()
                .handleIf(Peers::worthWaiting)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withMaxRetries(-1)
                .onRetry(e -> LOG.warn("Waiting for {} (attempt {}): {}", peer, e.getAttemptCount(),
                        reason(e.getLastException())));
        if (!timeout.isZero()) {
            policy.withMaxDuration(timeout);
        }
        try {
            Failsafe.with(policy.build()).get(attempt::run);
        } catch (FailsafeException e) {
            throw new StartupException(peer + " did not answer in time: " + reason(e));
        } catch (RuntimeException e) {
            throw new StartupException(peer + " refused: " + reason(e));
        }
        LOG.info("{} answers", peer.substring(0, 1).toUpperCase() + peer.substring(1));
    }

    /** The connection factory's own one-line reason where there is one, else the root cause. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LdapConnectionException) {
                return Secrets.mask(t.getMessage());
            }
        }
        return Secrets.rootCause(e);
    }

    /** Connection problems and server errors pass with time; a refused login, API key or certificate does not. */
    static boolean worthWaiting(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpOperationFailedException http) {
                return http.getStatusCode() >= 500 || http.getStatusCode() == 429;
            }
            if (c instanceof javax.naming.AuthenticationException || c instanceof javax.naming.NoPermissionException
                    || c instanceof javax.net.ssl.SSLHandshakeException || c instanceof java.security.cert.CertificateException) {
                return false;   // a refused login or certificate does not get better by waiting
            }
            if (c instanceof java.io.IOException || c instanceof javax.naming.CommunicationException
                    || c instanceof javax.naming.ServiceUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Start-up cannot go on; the message is the one line to show. */
    public static class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Attempt {
        Object run() throws Exception;
    }

    private record AutoCloseableContext(LdapContext context) implements AutoCloseable {
        @Override
        public void close() throws javax.naming.NamingException {
            context.close();
        }
    }
}
