package org.ldapmailcow.ops;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's HEALTHCHECK: asks the running service's {@code /observe/health} on loopback, at
 * {@code LDAP_MAILCOW_MANAGEMENT_PORT} (default 9876). Exit 0 when it answers UP (HTTP 200), 1 otherwise; the
 * answer is printed, so {@code docker inspect} shows why. Uses the JDK only, so it starts quickly without the
 * service's libraries.
 */
public final class HealthProbe {

    public static final int DEFAULT_PORT = 9876;

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv("LDAP_MAILCOW_MANAGEMENT_PORT");
        int p = DEFAULT_PORT;
        try {
            if (port != null && !port.isBlank()) {
                p = Integer.parseInt(port.strip());
            }
        } catch (NumberFormatException e) {
            System.out.println("LDAP_MAILCOW_MANAGEMENT_PORT is not a number: " + port);
            System.exit(1);
        }
        System.exit(probe(p, System.out));
    }

    /** 0 when the service at {@code port} reports UP, else 1. */
    public static int probe(int port, PrintStream out) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            out.println(body.length() > 4000 ? body.substring(0, 4000) + " ..." : body);
            return response.statusCode() == 200 ? 0 : 1;
        } catch (java.io.IOException e) {
            out.println("no answer from the management server on port " + port + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
