package org.ldapmailcow.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The management server's /observe endpoints, read as a monitoring system reads them. */
final class Observe {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Observe() {
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One sample of the Prometheus text format; {@code labels} must appear among the sample's labels. */
    static long metric(String metrics, String name, String labels) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = sample.matcher(metrics);
        while (m.find()) {
            if (labels == null || (m.group(1) != null && m.group(1).contains(labels))) {
                return Math.round(Double.parseDouble(m.group(2)));
            }
        }
        throw new AssertionError("no " + name + " " + labels + " in\n" + metrics);
    }
}
