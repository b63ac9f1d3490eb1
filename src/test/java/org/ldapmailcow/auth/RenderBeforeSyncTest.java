package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract the start-up sequence relies on: the exchange it sends to {@code direct:render-auth-config}
 * returns only once every file is written, and fails when a template does, so a sequence that starts the sync
 * trigger after it never lets a sync run before (or without) the rendering. The two routes below stand in for
 * that sequence and for the sync trigger.
 */
class RenderBeforeSyncTest {

    @TempDir
    Path tmp;

    /** Whether all four files were there each time the stand-in sync ran. */
    private final List<Boolean> syncSawFiles = new CopyOnWriteArrayList<>();

    private RouteBuilder startUpAndSync(Path conf) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:start-up").routeId("start-up")
                        .to("direct:render-auth-config")
                        .to("controlbus:route?routeId=ldap-sync&action=start");
                from("timer:ldap-sync?delay=0&period=20").routeId("ldap-sync").autoStartup(false)
                        .process(e -> syncSawFiles.add(AuthConfigRenderingTest.FILES.stream()
                                .allMatch(f -> Files.isRegularFile(conf.resolve(f)))));
            }
        };
    }

    @Test
    void syncStartsOnlyOnceEveryFileIsWritten() throws Exception {
        Path conf = tmp.resolve("conf");
        try (AuthConfigContext context = AuthConfigContext.start(
                AuthConfigContext.env(conf, AuthConfigRenderingTest.SHIPPED_TEMPLATES), startUpAndSync(conf))) {
            assertThat(context.camel.getRouteController().getRouteStatus("ldap-sync")).isEqualTo(ServiceStatus.Stopped);

            context.camel.createProducerTemplate().sendBody("direct:start-up", null);

            await().atMost(Duration.ofSeconds(10)).until(() -> syncSawFiles.size() >= 3);
            assertThat(syncSawFiles).containsOnly(true);
        }
    }

    @Test
    void aTemplateErrorKeepsTheSyncStopped() throws Exception {
        Path conf = tmp.resolve("conf");
        Path templates = tmp.resolve("templates");
        Files.createDirectories(templates.resolve("dovecot/ldap"));
        Files.writeString(templates.resolve("dovecot/ldap/passdb.conf"), "dnpass = ${body.noSuchValue}\n");
        Map<String, String> env = AuthConfigContext.env(conf, templates);
        try (AuthConfigContext context = AuthConfigContext.start(env, startUpAndSync(conf))) {

            Throwable failure = catchThrowable(
                    () -> context.camel.createProducerTemplate().requestBody("direct:start-up", (Object) null));

            assertThat(failure).hasRootCauseInstanceOf(AuthConfigException.class);
            Thread.sleep(200);
            assertThat(context.camel.getRouteController().getRouteStatus("ldap-sync")).isEqualTo(ServiceStatus.Stopped);
            assertThat(syncSawFiles).isEmpty();
            assertThat(conf).doesNotExist();
        }
    }
}
