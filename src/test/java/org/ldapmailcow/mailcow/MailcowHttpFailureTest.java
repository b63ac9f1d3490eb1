package org.ldapmailcow.mailcow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.model.MailboxChange;

/** mailcow's HTTP errors as mailcow-api.md records them, told in one line; the new mailbox's password kept unprinted. */
class MailcowHttpFailureTest {

    private static final String URL = "https://mail.example.com/api/v1/get/domain/all?disableStreamCache=true";

    @Test
    void anUnknownKeyAndAnAddressOutsideTheAllowListSayWhatToCheck() {
        assertThat(describe(401, "{\"type\":\"error\",\"msg\":\"authentication failed\"}"))
                .isEqualTo("mailcow refused the API key (HTTP 401: authentication failed); check LDAP_MAILCOW_API_KEY "
                        + "and the API's allowed IPs in mailcow (this host's address must be among them)");
        assertThat(describe(401, "{\"type\":\"error\",\"msg\":\"api access denied for ip 127.0.0.2\"}"))
                .startsWith("mailcow refused the API key (HTTP 401: api access denied for ip 127.0.0.2); check");
    }

    @Test
    void otherStatusesNameTheEndpointWithoutTheQuery() {
        assertThat(describe(403, "{\"type\":\"error\",\"msg\":\"API read/write access denied\"}"))
                .isEqualTo("mailcow answered HTTP 403: API read/write access denied to "
                        + "https://mail.example.com/api/v1/get/domain/all");
        assertThat(describe(502, "<html><head><title>502 Bad Gateway</title></head></html>"))
                .isEqualTo("mailcow answered HTTP 502 to https://mail.example.com/api/v1/get/domain/all");
    }

    @Test
    void theNewMailboxIsSentWithItsPasswordAndPrintedWithout() throws Exception {
        Settings settings = Settings.from(Map.of(
                "LDAP_MAILCOW_LDAP_URI", "ldap://dc", "LDAP_MAILCOW_LDAP_GC_URI", "ldap://dc:3268",
                "LDAP_MAILCOW_LDAP_DOMAIN", "example.local", "LDAP_MAILCOW_LDAP_BASE_DN", "DC=example,DC=local",
                "LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind,DC=example,DC=local", "LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "x",
                "LDAP_MAILCOW_API_HOST", "https://mail.example.local", "LDAP_MAILCOW_API_KEY", "k",
                "LDAP_MAILCOW_API_QUOTA", "0", "LDAP_MAILCOW_SYNC_INTERVAL", "300"));
        MailboxChange change = new MailboxChange(MailboxChange.Kind.CREATE, "ann@example.local", "Ann", true,
                "Ann", true, "new user", "CN=Ann,DC=example,DC=local", null);
        NewMailbox body = new MailcowRequests(settings).addMailbox(change);

        @SuppressWarnings("unchecked")
        Map<String, Object> sent = new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(body), Map.class);
        String password = (String) sent.get("password");
        assertThat(password).hasSize(32);
        assertThat(sent.get("password2")).isEqualTo(password);
        assertThat(sent).containsEntry("local_part", "ann").containsEntry("domain", "example.local")
                .containsEntry("name", "Ann").containsEntry("active", "1");
        assertThat(body.toString()).contains("ann", "example.local", "Ann").doesNotContain(password)
                .doesNotContain("password");
    }

    private static String describe(int status, String body) {
        return MailcowHttpFailure.describe(new HttpOperationFailedException(URL, status, "", null, Map.of(), body));
    }
}
