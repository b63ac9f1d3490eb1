package org.ldapmailcow;

import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.ldapmailcow.config.Settings;

/**
 * camel-http sets its timeouts per component; the GETs need a longer one than the writes: mailcow takes
 * milliseconds per mailbox to list them, over a minute for 50,000, before the first byte of its answer.
 * The request's response timeout replaces the socket timeout for that request.
 */
final class MailcowTimeouts {

    private MailcowTimeouts() {
    }

    /** For the GET endpoints ({@code httpClientConfigurer=#mailcowReads}). */
    static HttpClientConfigurer reads(Settings settings) {
        RequestConfig config = RequestConfig.custom()
                .setConnectionRequestTimeout(settings.apiTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .setResponseTimeout(Timeout.ofMilliseconds(settings.apiReadTimeout.toMillis()))
                .build();
        return builder -> builder.setDefaultRequestConfig(config);
    }
}
