package org.ldapmailcow.mailcow;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets {@code X-API-Key}. A processor rather than a bean expression: Camel logs bean results at TRACE, and the
 * key must not reach any log at any level.
 */
public class ApiKeyHeader implements Processor {

    private final String apiKey;

    public ApiKeyHeader(String apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader("X-API-Key", apiKey);
    }

    @Override
    public String toString() {
        return "ApiKeyHeader";
    }
}
