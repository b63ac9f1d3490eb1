package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.BeanInject;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.AppConfig;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.Demo;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.demo.MailcowEmulator;
import org.ldapmailcow.state.StateDatabase;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.sync.Cycles;

/**
 * The YAML routes booted by camel-main's test support ({@code @CamelMainTest}) with the production
 * configuration class, driven through their endpoints: the cycle route, then the cycle trigger.
 */
@CamelMainTest(properties = "camel.main.routes-include-pattern=file:routes/*.yaml",
        configurationClasses = CycleRouteMainTest.Config.class)
class CycleRouteMainTest {

    static final DemoDirectory DIRECTORY = new DemoDirectory().start().seedSample();
    static final MailcowEmulator MAILCOW = new MailcowEmulator("main-test-key").start().addDomain("example.local");

    /** The production AppConfig, given settings for the embedded directory and the emulator. */
    public static class Config implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) throws Exception {
            Path work = Files.createTempDirectory("cycle-route-main-test");
            Map<String, String> env = Demo.environment(DIRECTORY, MAILCOW, work);
            env.put(Settings.PREFIX + "AUTH_MODE", "none");
            env.put(Settings.PREFIX + "SYNC_INTERVAL", "2");
            Settings settings = Settings.from(env);
            StateDatabase state = new StateDatabase(settings.dbFile);
            state.open();
            context.getPropertiesComponent().setInitialProperties(settings.toProperties());
            new AppConfig(settings, state, new Cycles(settings), Duration.ofSeconds(5)).configure(context);
        }
    }

    @BeanInject
    CamelContext context;

    @BeanInject
    Cycles cycles;

    @Produce
    ProducerTemplate template;

    @AfterAll
    static void stop() {
        MAILCOW.close();
        DIRECTORY.close();
    }

    /**
     * Camel's default error handler on a route the cycle calls would end a failing cycle with no summary, no
     * report and exit code 0: every route reachable from sync-cycle names its rule in 00-error-handling.
     */
    @Test
    void everyRouteACycleCallsHasAnErrorHandlingRule() {
        Map<String, RouteDefinition> routes = new TreeMap<>();
        context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()
                .forEach(r -> routes.put(resolved(r, r.getInput().getEndpointUri()), r));
        Map<String, String> reached = new TreeMap<>();
        Deque<RouteDefinition> next = new ArrayDeque<>(List.of(routes.get("direct:sync-cycle")));
        while (!next.isEmpty()) {
            RouteDefinition route = next.pop();
            if (reached.put(route.getRouteId(), String.valueOf(route.getRouteConfigurationId())) == null) {
                calls(route, route.getOutputs(), routes, next);
            }
        }
        assertThat(reached).containsKeys("read-state", "record-state", "apply-plan", "mailbox-create", "mailcow-write")
                .containsKeys("apply-mailbox-writes", "apply-alias-writes", "add-mailbox", "set-user-acl", "add-alias")
                .allSatisfy((id, rule) -> assertThat(rule).as(id).isNotEqualTo("null"));
    }

    private static void calls(RouteDefinition route, List<ProcessorDefinition<?>> steps,
                              Map<String, RouteDefinition> routes, Deque<RouteDefinition> next) {
        for (ProcessorDefinition<?> step : steps) {
            String uri = resolved(route, step instanceof SendDefinition<?> send ? send.getEndpointUri()
                    : step instanceof ToDynamicDefinition dynamic ? dynamic.getUri() : null);
            if (uri != null && routes.containsKey(uri)) {
                next.push(routes.get(uri));
            }
            calls(route, step.getOutputs(), routes, next);
        }
    }

    /** A route made from a route template keeps its endpoints as {{parameter}} placeholders in its definition. */
    private static String resolved(RouteDefinition route, String uri) {
        if (uri != null && route.getTemplateParameters() != null) {
            for (Map.Entry<String, Object> parameter : route.getTemplateParameters().entrySet()) {
                uri = uri.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
            }
        }
        return uri;
    }

    @Test
    void theCycleRouteSyncsAndTheTriggerRunsItAgainWithoutWrites() throws Exception {
        assertThat(context.getRouteController().getRouteStatus("cycle-trigger").isStopped())
                .as("the trigger waits for start-up").isTrue();

        template.sendBody("direct:sync-cycle", null);
        CycleRun first = cycles.current();
        assertThat(first.succeeded()).isTrue();
        assertThat(MAILCOW.mailboxes()).hasSize(9);
        assertThat(MAILCOW.aliases()).hasSize(14);

        MAILCOW.resetRequests();
        context.getRouteController().startRoute("cycle-trigger");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> cycles.current().number == first.number + 1 && cycles.current().finished() != null);
        assertThat(cycles.current().succeeded()).isTrue();
        assertThat(MAILCOW.writeCount()).isZero();
    }
}
