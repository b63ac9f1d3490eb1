package org.ldapmailcow.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.state.StateDatabase;
import org.ldapmailcow.model.CycleRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooks health, metrics and run reports onto the cycles. Camel's management server (application.properties,
 * {@code camel.management.*}) serves them: the health check is found in the registry by type, and the cycle
 * figures are registered on the meter registry Camel's Prometheus support scrapes.
 */
public final class Operations {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private Operations() {
    }

    /** {@code onFinish} registers a listener called with every finished cycle ({@code Cycles::onFinish}). */
    public static void install(CamelContext context, Settings settings, StateDatabase state,
                               Consumer<Consumer<CycleRun>> onFinish) throws Exception {
        Registry registry = context.getRegistry();
        CycleHealth health = new CycleHealth(Duration.ofSeconds(settings.syncIntervalSeconds), Clock.systemUTC());
        registry.bind("cycleHealth", health);

        // Camel's Prometheus support creates its meter registry while Camel starts; the cycle figures join it then
        AtomicReference<CycleMetrics> metrics = new AtomicReference<>();

        RunReports reports = new RunReports(RunReports.besideDatabase(state.file()), settings.reportKeep);
        registry.bind("runReports", reports);

        onFinish.accept(safely("health", health));
        onFinish.accept(safely("metrics", run -> {
            if (metrics.get() != null) {
                metrics.get().accept(run);
            }
        }));
        if (!settings.dryRun) {
            onFinish.accept(safely("report", reports));
        }
        onFinish.accept(safely("heap check", HeapHeadroom.jvm()));

        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                metrics.set(new CycleMetrics(meterRegistry(started), state.dataSource()));
                VertxPlatformHttpServer server = started.hasService(VertxPlatformHttpServer.class);
                if (server != null) {
                    String host = server.getHost() == null || server.getHost().equals("0.0.0.0") ? "localhost"
                            : server.getHost();
                    LOG.info("Health at http://{}:{}/observe/health, metrics at /observe/metrics; {}", host,
                            server.getPort(), settings.dryRun ? "no cycle report in a dry run"
                                    : "cycle reports in " + reports.directory());
                }
            }
        });
    }

    /** Camel's Prometheus registry (served on /observe/metrics); a private one when Camel's metrics are off. */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        return registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** The port the management server listens on (the real one when 0 was asked for), or -1 when it is off. */
    public static int managementPort(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        return server == null ? -1 : server.getPort();
    }

    /** A listener's failure is logged; it never turns a finished cycle into a failed one. */
    private static Consumer<CycleRun> safely(String what, Consumer<CycleRun> listener) {
        return run -> {
            try {
                listener.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("Cannot update the {} of cycle {}: {}", what, run.number, Secrets.safeMessage(e));
            }
        };
    }
}
