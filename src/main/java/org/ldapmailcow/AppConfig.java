package org.ldapmailcow;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.naming.ldap.LdapContext;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.ldapmailcow.auth.AuthSourceCheck;
import org.ldapmailcow.auth.AuthTemplates;
import org.ldapmailcow.auth.ConfigFileWriter;
import org.ldapmailcow.auth.PythonTemplates;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.ldap.DirectoryChanges;
import org.ldapmailcow.directory.DirectoryReader;
import org.ldapmailcow.directory.GroupResolver;
import org.ldapmailcow.directory.JndiDirectorySearch;
import org.ldapmailcow.ldap.LdapContextFactory;
import org.ldapmailcow.mailcow.ApiKeyHeader;
import org.ldapmailcow.mailcow.MailcowAnswers;
import org.ldapmailcow.mailcow.MailcowRequests;
import org.ldapmailcow.ops.CycleHealth;
import org.ldapmailcow.ops.CycleLeadership;
import org.ldapmailcow.ops.Operations;
import org.ldapmailcow.state.DirectorySnapshot;
import org.ldapmailcow.state.StateDatabase;
import org.ldapmailcow.state.JournalRows;
import org.ldapmailcow.state.StateRows;
import org.ldapmailcow.sync.Cycles;
import org.ldapmailcow.sync.Explainer;

/** The one configuration class: binds the beans the YAML routes use, and sets up HTTP and LDAP. */
public class AppConfig implements CamelConfiguration {

    private final Settings settings;
    private final StateDatabase state;
    private final Cycles cycles;
    private final Duration peerWait;

    /** {@code peerWait}: how long start-up waits for the directory and mailcow; zero waits as long as it takes. */
    public AppConfig(Settings settings, StateDatabase state, Cycles cycles, Duration peerWait) {
        this.settings = settings;
        this.state = state;
        this.cycles = cycles;
        this.peerWait = peerWait;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("settings", settings);
        registry.bind("cycles", cycles);
        registry.bind("stateDataSource", state.dataSource());
        registry.bind("stateRows", new StateRows());
        registry.bind("journalRows", new JournalRows());
        registry.bind("explainer", new Explainer(settings, cycles));
        registry.bind("mailcowAnswers", new MailcowAnswers());
        registry.bind("apiKeyHeader", new ApiKeyHeader(settings.apiKey()));
        registry.bind("mailcowRequests", new MailcowRequests(settings));
        registry.bind("authSourceCheck", new AuthSourceCheck(settings));
        bindAuthConfig(registry, settings);

        // camel-ldap closes the context after every search, so each search needs a fresh one (paging needs LdapContext)
        Supplier<LdapContext> contexts = LdapContextFactory.create(settings);
        registry.bindAsPrototype("ldapContext", LdapContext.class, contexts::get);
        JndiDirectorySearch directorySearch = new JndiDirectorySearch(contexts, settings.pageSize);
        registry.bind("directorySearch", directorySearch);
        DirectoryReader directoryReader = new DirectoryReader(settings.directory, settings.aliasAttributes);
        registry.bind("directoryReader", directoryReader);
        DirectoryChanges directoryChanges = new DirectoryChanges(settings, contexts, directorySearch, directoryReader,
                new DirectorySnapshot(state.dataSource()));
        registry.bind("directoryChanges", directoryChanges);
        cycles.onFinish(directoryChanges::cycleFinished);
        registry.bind("groupResolver", new GroupResolver(directorySearch, settings.baseDn, settings.groupMemberFilter,
                GroupResolver.BATCH_SIZE, settings.directory, settings.aliasAttributes));
        registry.bind("peers", new Peers(contexts, context.createProducerTemplate(), peerWait));

        ExecutorService writers = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "mailcow-writer", settings.apiConcurrency);
        registry.bind("mailcowWriters", writers);

        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            long timeout = settings.apiTimeout.toMillis();
            http.setConnectTimeout(Math.min(timeout, 10_000));
            http.setConnectionRequestTimeout(timeout);
            http.setSoTimeout(timeout);
            http.setResponseTimeout(timeout);
            http.setConnectionsPerRoute(Math.max(settings.apiConcurrency, 2));
            // mailcow sets a session cookie even for API-key requests and keeps each request's messages in the
            // session: sent back, parallel writes would read each other's answers
            http.setCookieManagementDisabled(true);
            MailcowTls.configure(http, settings);
        }
        MailcowTls.warnIfUnverified(settings);
        // GETs (the bulk listings above all) wait longer for their answer than writes; httpClientConfigurer=#mailcowReads
        registry.bind("mailcowReads", MailcowTimeouts.reads(settings));

        Operations.install(context, settings, state, cycles::onFinish);

        // the cycle trigger's camel-master finds it among the context's services; it makes no file before then
        CycleLeadership leadership = new CycleLeadership(settings,
                registry.lookupByNameAndType("cycleHealth", CycleHealth.class));
        registry.bind("leadership", leadership);
        context.addService(leadership.clusterService());
    }

    /** The beans routes/10-auth-config uses to render the Dovecot and SOGo login configuration. */
    public static void bindAuthConfig(Registry registry, Settings settings) throws Exception {
        registry.bind("authTemplateConfiguration", AuthTemplates.configuration());
        registry.bind("authConfigWriter", new ConfigFileWriter(settings));
        registry.bind("pythonTemplates", new PythonTemplates(settings));
    }
}
