package org.ldapmailcow;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.naming.ldap.LdapContext;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.ldapmailcow.ldap.LdapConnectionException;
import org.ldapmailcow.mailcow.MailcowAnswers;
import org.ldapmailcow.mailcow.MailcowHttpFailure;
import org.ldapmailcow.ops.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start for the directory and for mailcow's API, with capped exponential backoff, so the service
 * does not crash-loop when it starts before them. A service waits as long as it takes; {@code --once} gives up
 * after the start-up timeout. Refusals that waiting cannot fix (bad credentials, a rejected API key) end the
 * wait at once, and so does {@link #stop()} (SIGTERM): the attempts run on a thread of their own, so a peer that
 * never answers cannot hold the stop.
 */
public final class Peers {

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);
    /** How long the start-up probe's domain listing stands in for the first cycle's (a second instance waits longer). */
    static final Duration PROBE_ANSWER_KEPT = Duration.ofSeconds(60);

    private final Supplier<LdapContext> directory;
    private final ProducerTemplate template;
    private final Duration timeout;
    private volatile boolean stopped;
    private volatile CompletableFuture<Object> waiting;
    private final AtomicReference<ProbeAnswer> probeAnswer = new AtomicReference<>();

    /** The probe's {@code get/domain/all} listing and when it came. */
    private record ProbeAnswer(List<String> domains, java.time.Instant at) {
    }

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
        await("the mailcow API", () -> {
            Object listing = template.requestBodyAndHeader("direct:mailcow-probe", null, "probe", true);
            probeAnswer.set(new ProbeAnswer(new MailcowAnswers().domains(listing), java.time.Instant.now()));
            return listing;
        });
    }

    /**
     * The domains the start-up probe listed, once, if the cycle began within {@link #PROBE_ANSWER_KEPT} of them (it
     * reads the directory first, which may take longer at 50,000 users): the first cycle takes them instead of
     * asking {@code get/domain/all} again. Null when there is none (any later cycle).
     */
    public List<String> takeProbedDomains(org.ldapmailcow.model.CycleRun cycle) {
        ProbeAnswer answer = probeAnswer.getAndSet(null);
        return answer == null || cycle.started.isAfter(answer.at().plus(PROBE_ANSWER_KEPT)) ? null : answer.domains();
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
        ScheduledExecutorService attempts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ldap-mailcow-peer-wait");
            thread.setDaemon(true);
            return thread;
        });
        try {
            waiting = Failsafe.with(policy.build()).with(attempts).getAsync(attempt::run);
            if (stopped) {
                waiting.cancel(true);
            }
            waiting.get();
        } catch (CancellationException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Stopping: no longer waiting for {}", peer);
            throw new Stopped(peer);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (worthWaiting(cause)) {
                throw new StartupException(peer + " did not answer in time: " + reason(cause));
            }
            // mailcow's refusal (a wrong API key above all) says itself who refused
            throw new StartupException(MailcowHttpFailure.in(cause) != null ? reason(cause)
                    : peer + " refused: " + reason(cause));
        } finally {
            waiting = null;
            attempts.shutdownNow();
        }
        LOG.info("{} answers", peer.substring(0, 1).toUpperCase() + peer.substring(1));
    }

    /** SIGTERM during start-up: the wait ends now, whatever the attempt under way is waiting for. */
    public void stop() {
        stopped = true;
        CompletableFuture<Object> current = waiting;
        if (current != null) {
            current.cancel(true);
        }
    }

    /** The connection factory's own one-line reason where there is one, else mailcow's answer or the root cause. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LdapConnectionException) {
                return t.getMessage();
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

    /** The service is stopping: nothing failed, there is nothing to show. */
    public static final class Stopped extends StartupException {
        Stopped(String peer) {
            super("stopped while waiting for " + peer);
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
