package org.ldapmailcow.auth;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.ldapmailcow.AppConfig;
import org.ldapmailcow.config.Settings;

/** A Camel context running the real routes/10-auth-config.camel.yaml with the given settings. */
final class AuthConfigContext implements AutoCloseable {

    static final String ROUTES = "file:routes/10-auth-config.camel.yaml";

    final Settings settings;
    final CamelContext camel;

    private AuthConfigContext(Settings settings, RouteBuilder extraRoutes) throws Exception {
        this.settings = settings;
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("settings", settings);
        AppConfig.bindAuthConfig(camel.getRegistry(), settings);
        camel.getPropertiesComponent().setInitialProperties(settings.toProperties());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, ROUTES));
        if (extraRoutes != null) {
            camel.addRoutes(extraRoutes);
        }
        camel.start();
    }

    static AuthConfigContext start(Map<String, String> env) throws Exception {
        return new AuthConfigContext(Settings.from(env), null);
    }

    static AuthConfigContext start(Map<String, String> env, RouteBuilder extraRoutes) throws Exception {
        return new AuthConfigContext(Settings.from(env), extraRoutes);
    }

    /** Sends the one exchange the start-up sequence sends; returns the body it leaves. */
    Object render() {
        return camel.createProducerTemplate().requestBody("direct:render-auth-config", (Object) null);
    }

    /** The environment of a complete configuration writing below {@code confDir}. */
    static Map<String, String> env(Path confDir, Path templatesDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LDAP_MAILCOW_LDAP_URI", "ldap://dc.example.local");
        env.put("LDAP_MAILCOW_LDAP_GC_URI", "ldaps://dc.example.local:3269");
        env.put("LDAP_MAILCOW_LDAP_DOMAIN", "example.org");
        env.put("LDAP_MAILCOW_LDAP_BASE_DN", "OU=Mail Users,DC=example,DC=local");
        env.put("LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind DN,CN=Users,DC=example,DC=local");
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "BindPassword");
        env.put("LDAP_MAILCOW_API_HOST", "https://mailcow.example.local");
        env.put("LDAP_MAILCOW_API_KEY", "XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX");
        env.put("LDAP_MAILCOW_API_QUOTA", "3072");
        env.put("LDAP_MAILCOW_SYNC_INTERVAL", "300");
        env.put("LDAP_MAILCOW_CONF_DIR", confDir.toString());
        env.put("LDAP_MAILCOW_TEMPLATES_DIR", templatesDir.toString());
        return env;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
