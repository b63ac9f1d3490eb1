package org.ldapmailcow.ops;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.ldapmailcow.Peers;
import org.ldapmailcow.config.Settings;

/**
 * The management server (health, metrics) must really listen: Camel's Vert.x server only logs a port it cannot
 * bind and starts anyway, which would leave a service without health while its log names the health URL.
 */
public final class ManagementServer {

    static final String PORT = Settings.PREFIX + "MANAGEMENT_PORT";
    static final String HOST = Settings.PREFIX + "MANAGEMENT_HOST";

    private ManagementServer() {
    }

    /** Before Camel starts: the address can be bound (the usual failure: another process holds the port). */
    public static void requireFree(Settings settings) {
        if (settings.managementPort == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(settings.managementHost, settings.managementPort));
        } catch (BindException e) {
            throw new Peers.StartupException(problem(settings, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            throw new Peers.StartupException(HOST + " " + settings.managementHost + " cannot be listened on ("
                    + e.getMessage() + "); use an address of this host, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    /** After Camel started: the server listens (another process may have taken the port in between). */
    public static void requireListening(CamelContext context, Settings settings) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null && (server.getServer() == null || server.getServer().actualPort() <= 0)) {
            throw new Peers.StartupException(problem(settings, "the health and metrics server did not start"));
        }
    }

    private static String problem(Settings settings, String reason) {
        if (reason != null && reason.contains("Cannot assign requested address")) {
            return HOST + " " + settings.managementHost + " is not an address of this host; use one that is, "
                    + "e.g. 127.0.0.1 or 0.0.0.0";
        }
        return PORT + " " + settings.managementPort + " is in use on " + settings.managementHost
                + " (another ldap-mailcow, or another program); stop it or set " + PORT + " to a free port";
    }
}
