package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the emulator over real HTTP and checks its answers against mailcow-api.md. Step numbers refer to the
 * transcript there; expected JSON is copied from it.
 */
class MailcowEmulatorTest {

    private static final String KEY = "rw-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String EXAMPLE_DOMAIN = """
            {"domain": "example.local", "description": "Example test domain", "aliases": 400, "mailboxes": 10,
             "defquota": 1024, "maxquota": 4096, "quota": 5120, "active": 1, "restart_sogo": 0}""";
    private static final String ALICE = """
            {"local_part": "alice", "domain": "example.local", "name": "Alice Example", "password": "Secret-Pass-123",
             "password2": "Secret-Pass-123", "quota": 1024, "active": 1, "force_pw_update": 0, "tls_enforce_in": 0,
             "tls_enforce_out": 0}""";

    private MailcowEmulator mailcow;

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    @BeforeEach
    void start() {
        mailcow = new MailcowEmulator(KEY).start();
    }

    @AfterEach
    void stop() {
        mailcow.close();
    }

    // ---------------------------------------------------------------- HTTP layer

    @Test
    void aRightKeyFromAnAddressOutsideTheAllowListIs401WithTheAddress() {
        mailcow.setAllowedIps(java.util.Set.of("192.0.2.99"));
        assertThat(send("GET", "get/mailbox/all", null, KEY)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json()).isEqualTo(json("{\"type\":\"error\",\"msg\":\"api access denied for ip 127.0.0.1\"}"));
        });
        mailcow.setAllowedIps(java.util.Set.of("127.0.0.1"));
        assertThat(send("GET", "get/mailbox/all", null, KEY).status()).isEqualTo(200);
    }

    @Test
    void httpErrorsAreTheDocumentedOnes() {
        assertThat(send("GET", "get/mailbox/all", null, "WRONG-KEY-123")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json()).isEqualTo(json("{\"type\":\"error\",\"msg\":\"authentication failed\"}"));
        });
        Reply noKey = send("GET", "get/mailbox/all", null, null);
        assertThat(noKey.status()).isEqualTo(200);
        assertThat(noKey.body()).isEmpty();
        Reply getOnAdd = send("GET", "add/domain", null, KEY);
        assertThat(getOnAdd.status()).isEqualTo(200);
        assertThat(getOnAdd.json()).isEqualTo(json(
                "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}"));
        Reply postOnGet = send("POST", "get/mailbox/all", "{\"x\": 1}", KEY);
        assertThat(postOnGet.status()).isEqualTo(405);
        assertThat(postOnGet.json().get("msg").asText()).isEqualTo("only GET method is allowed");
        Reply unknown = get("get/nonsense/all");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(json("{\"type\":\"error\",\"msg\":\"route not found\"}"));
        Reply notJson = post("add/mailbox", "this is not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json()).isEqualTo(json(
                "{\"type\":\"error\",\"msg\":\"Request body doesn't contain valid json!\"}"));
    }

    @Test
    void aSessionCookieIsHandedOutAndConcurrentWritesSendingItBackShareTheirMessages() throws Exception {
        post("add/domain", EXAMPLE_DOMAIN);
        HttpResponse<String> first = HTTP.send(request("GET", "get/domain/all", null, KEY, false),
                HttpResponse.BodyHandlers.ofString());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("MCSESSID=");
        mailcow.setWriteLatency(java.time.Duration.ofMillis(300));
        String sameSession = cookie.substring(0, cookie.indexOf(';'));
        String refused = ALICE.replace("Alice Example", "N".repeat(256));
        String good = ALICE.replace("\"alice\"", "\"bob\"");
        var withCookie = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendWithCookie(refused, sameSession));
        Thread.sleep(100);
        String second = sendWithCookie(good, sameSession);
        String firstAnswer = withCookie.get();

        assertThat(mailcow.mailboxes()).containsOnlyKeys("bob@example.local");
        // one of the two answers holds both writes' messages, the other none (an empty body)
        assertThat(List.of(firstAnswer, second)).containsOnlyOnce("")
                .anySatisfy(a -> assertThat(a).contains("Data too long for column 'name'").contains("mailbox_added"));
    }

    @Test
    void aNameLongerThanTheColumnIsRefusedWithMysqlsError() {
        post("add/domain", EXAMPLE_DOMAIN);
        JsonNode answer = post("add/mailbox", ALICE.replace("Alice Example", "N".repeat(256))).json();
        assertThat(answer.get(0).get("type").asText()).isEqualTo("danger");
        assertThat(msg(answer, 0)).isEqualTo(json("[\"mysql_error\", \"SQLSTATE[22001]: String data, right truncated: "
                + "1406 Data too long for column 'name' at row 1\"]"));
        assertThat(mailcow.mailboxes()).isEmpty();
        assertThat(post("add/mailbox", ALICE.replace("Alice Example", "N".repeat(255))).json().toString())
                .contains("mailbox_added");
    }

    private String sendWithCookie(String body, String cookie) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mailcow.baseUrl() + "/api/v1/add/mailbox"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("X-API-Key", KEY)
                .header("Content-Type", "application/json").header("Cookie", cookie).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readOnlyKeyReadsButCannotWrite() {
        mailcow.setReadOnlyApiKey("ro-key");
        Reply write = send("POST", "add/domain", "{\"domain\": \"ro.example\"}", "ro-key");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("msg").asText()).isEqualTo("API read/write access denied");
        assertThat(send("GET", "get/domain/all", null, "ro-key").json()).isEqualTo(json("{}"));
        assertThat(mailcow.domains()).isEmpty();
    }

    @Test
    void addWithoutKeyIsProcessedButDenied() {
        String body = "{\"address\": \"x@example.local\", \"goto\": \"alice@example.local\", \"active\": 1}";
        assertThat(msg(send("POST", "add/alias", body, null).json(), 0)).isEqualTo(json(
                "[\"domain_not_found\",\"example.local\"]"));
        post("add/domain", EXAMPLE_DOMAIN);
        assertThat(msg(send("POST", "add/alias", body, null).json(), 0).asText()).isEqualTo("access_denied");
        assertThat(mailcow.aliases()).isEmpty();
    }

    @Test
    void emptyAndMissingThingsAreEmptyObjects() {
        for (String route : List.of("get/domain/all", "get/mailbox/all", "get/mailbox/reduced", "get/alias/all",
                "get/mailbox/nobody@example.local", "get/alias/999999", "get/alias/nothere@example.local",
                "get/domain/missing.local")) {
            Reply reply = get(route);
            assertThat(reply.status()).as(route).isEqualTo(200);
            assertThat(reply.json()).as(route).isEqualTo(json("{}"));
        }
    }

    // ---------------------------------------------------------------- domains

    @Test
    void addDomainAnswersDkimThenDomainAdded() {
        assertThat(post("add/domain", EXAMPLE_DOMAIN).json()).isEqualTo(json("""
                [{"type":"success",
                  "log":["dkim","add",{"key_size":2048,"dkim_selector":"dkim","domains":"example.local"}],
                  "msg":["dkim_added","example.local"]},
                 {"type":"success","log":["mailbox","add","domain",{"domain":"example.local",
                   "description":"Example test domain","aliases":400,"mailboxes":10,"defquota":1024,"maxquota":4096,
                   "quota":5120,"active":1,"restart_sogo":0},null],
                  "msg":["domain_added","example.local"]}]"""));
        assertThat(msg(post("add/domain", EXAMPLE_DOMAIN).json(), 0)).isEqualTo(json(
                "[\"domain_exists\",\"example.local\"]"));
        String bad = "{\"domain\": \"bad.local\", \"mailboxes\": 1, \"defquota\": 100, \"maxquota\": 200,"
                + " \"quota\": 100}";
        JsonNode refused = post("add/domain", bad).json();
        assertThat(refused.get(0).get("type").asText()).isEqualTo("danger");
        assertThat(msg(refused, 0).asText()).isEqualTo("mailbox_quota_exceeds_domain_quota");
    }

    @Test
    void domainDetailsMatchTheTranscript() {
        post("add/domain", EXAMPLE_DOMAIN);
        JsonNode expected = json("""
                {"max_new_mailbox_quota":4294967296,"def_new_mailbox_quota":1073741824,"quota_used_in_domain":"0",
                 "bytes_total":0,"msgs_total":0,"mboxes_in_domain":0,"mboxes_left":10,"domain_name":"example.local",
                 "domain_h_name":"example.local","description":"Example test domain","max_num_aliases_for_domain":400,
                 "max_num_mboxes_for_domain":10,"def_quota_for_mbox":1073741824,"max_quota_for_mbox":4294967296,
                 "max_quota_for_domain":5368709120,"relayhost":"0","backupmx":0,"backupmx_int":0,"gal":1,"gal_int":1,
                 "rl":false,"active":1,"active_int":1,"relay_all_recipients":0,"relay_all_recipients_int":0,
                 "relay_unknown_only":0,"relay_unknown_only_int":0,"created":"x","modified":null,
                 "aliases_in_domain":0,"aliases_left":400,"domain_admins":"-"}""");
        JsonNode single = get("get/domain/Example.LOCAL").json();
        assertThat(fieldNames(single)).isEqualTo(fieldNames(expected));
        assertThat(withoutTimes(single)).isEqualTo(withoutTimes(expected));
        JsonNode all = get("get/domain/all").json();
        assertThat(all.isArray()).isTrue();
        assertThat(all).containsExactly(single);
    }

    @Test
    void domainTemplateAppliesWithoutExplicitLimits() {
        post("add/domain", "{\"domain\": \"Other.Local\", \"active\": \"1\", \"restart_sogo\": \"1\"}");
        JsonNode domain = get("get/domain/other.local").json();
        assertThat(domain.get("domain_name").asText()).isEqualTo("other.local");
        assertThat(domain.get("max_num_mboxes_for_domain").asLong()).isEqualTo(10);
        assertThat(domain.get("def_quota_for_mbox").asLong()).isEqualTo(3072L << 20);
        assertThat(domain.get("max_quota_for_domain").asLong()).isEqualTo(10240L << 20);
    }

    // ---------------------------------------------------------------- add/mailbox

    @Test
    void addMailboxAnswersRateLimitThenMailboxAdded() {
        post("add/domain", EXAMPLE_DOMAIN);
        assertThat(post("add/mailbox", ALICE).json()).isEqualTo(json("""
                [{"type":"success","log":["ratelimit","edit","mailbox",
                   {"object":"alice@example.local","rl_frame":"s","rl_value":""}],
                  "msg":["rl_saved","alice@example.local"]},
                 {"type":"success","log":["mailbox","add","mailbox",{"local_part":"alice","domain":"example.local",
                   "name":"Alice Example","password":"*","password2":"*","quota":1024,"active":1,"force_pw_update":0,
                   "tls_enforce_in":0,"tls_enforce_out":0},null],"msg":["mailbox_added","alice@example.local"]}]"""));
    }

    @Test
    void addMailboxErrorsFollowMailcow() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        assertThat(msg(post("add/mailbox", ALICE.replace("\"alice\"", "\"ALICE\"")).json(), 0))
                .isEqualTo(json("[\"object_exists\",\"alice@example.local\"]"));
        assertThat(msg(post("add/mailbox", mailboxBody("bob", "missing.local", 1024)).json(), 0).asText())
                .isEqualTo("access_denied");
        assertThat(msg(post("add/mailbox", mailboxBody("big", "example.local", 8192)).json(), 0))
                .isEqualTo(json("[\"mailbox_quota_exceeded\",4096]"));
        assertThat(msg(post("add/mailbox", mailboxBody("bad local", "example.local", 100)).json(), 0).asText())
                .isEqualTo("mailbox_invalid");
        assertThat(msg(post("add/mailbox", mailboxBody("bob", "example.local", 4096)).json(), 1))
                .isEqualTo(json("[\"mailbox_added\",\"bob@example.local\"]"));
        assertThat(msg(post("add/mailbox", mailboxBody("carol", "example.local", 1024)).json(), 0))
                .isEqualTo(json("[\"mailbox_quota_left_exceeded\",0]"));

        JsonNode mismatch = post("add/mailbox", """
                {"local_part": "dave", "domain": "example.local", "password": "Secret-Pass-123",
                 "password2": "Other-Pass-456", "quota": 0}""").json();
        assertThat(mismatch).isEqualTo(json("""
                [{"type":"danger","log":["password_check",null,null],"msg":"password_mismatch"}]"""));
        assertThat(msg(post("add/mailbox", """
                {"local_part": "dave", "domain": "example.local", "password": "abc", "password2": "abc"}""")
                .json(), 0).asText()).isEqualTo("password_complexity");
        assertThat(mailcow.mailboxes()).containsOnlyKeys("alice@example.local", "bob@example.local");
    }

    @Test
    void mailboxCountLimitAndAliasClash() {
        post("add/domain", "{\"domain\": \"tiny.local\", \"aliases\": 1, \"mailboxes\": 1, \"defquota\": 100,"
                + " \"maxquota\": 100, \"quota\": 100}");
        post("add/mailbox", mailboxBody("t1", "tiny.local", 50));
        assertThat(msg(post("add/mailbox", mailboxBody("t2", "tiny.local", 10)).json(), 0))
                .isEqualTo(json("[\"max_mailbox_exceeded\",1,1]"));
        post("add/alias", "{\"address\": \"fwd@tiny.local\", \"goto\": \"t1@tiny.local\", \"active\": \"1\"}");
        mailcow.setDomainLimits("tiny.local", new DomainLimits(5, 5, 10, 100, 100));
        assertThat(msg(post("add/mailbox", mailboxBody("fwd", "tiny.local", 10)).json(), 0))
                .isEqualTo(json("[\"is_alias\",\"fwd@tiny.local\"]"));
    }

    @Test
    void mailboxDefaultsAndGetShapes() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("bob", "example.local", 4096));
        post("add/mailbox", "{\"local_part\": \"Dave\", \"domain\": \"Example.local\","
                + " \"password\": \"Secret-Pass-123\", \"password2\": \"Secret-Pass-123\"}");

        JsonNode alice = get("get/mailbox/Alice@Example.local").json();
        JsonNode expectedAlice = json("""
                {"username":"alice@example.local","active":1,"active_int":1,"domain":"example.local",
                 "name":"Alice Example","local_part":"alice","quota":1073741824,"messages":0,
                 "attributes":{"force_pw_update":"0","force_tfa":"0","tls_enforce_in":"0","tls_enforce_out":"0",
                   "sogo_access":"1","imap_access":"1","pop3_access":"1","smtp_access":"1","sieve_access":"1",
                   "eas_access":"1","dav_access":"1","relayhost":"0","passwd_update":"x","mailbox_format":"maildir:",
                   "quarantine_notification":"hourly","quarantine_category":"reject","attribute_hash":""},
                 "custom_attributes":[],"quota_used":0,"percent_in_use":0,"created":"x","modified":"x",
                 "authsource":"mailcow","percent_class":"success","last_imap_login":0,"last_smtp_login":0,
                 "last_pop3_login":0,"last_sso_login":0,"max_new_quota":1073741824,"spam_aliases":0,
                 "pushover_active":0,"rl":false,"rl_scope":"domain","is_relayed":0,"sender_acl":[]}""");
        assertThat(fieldNames(alice)).isEqualTo(fieldNames(expectedAlice));
        assertThat(fieldNames(alice.get("attributes"))).isEqualTo(fieldNames(expectedAlice.get("attributes")));
        assertThat(withoutTimes(alice)).isEqualTo(withoutTimes(expectedAlice));

        JsonNode dave = get("get/mailbox/dave@example.local").json();
        assertThat(dave.get("username").asText()).isEqualTo("dave@example.local");
        assertThat(dave.get("name").asText()).isEmpty();
        assertThat(dave.get("active").asInt()).isEqualTo(1);
        assertThat(dave.get("quota").asLong()).isZero();
        assertThat(dave.get("percent_in_use").asText()).isEqualTo("- ");
        assertThat(dave.get("percent_class").asText()).isEqualTo("info");
        assertThat(dave.get("max_new_quota").asLong()).isZero();

        JsonNode all = get("get/mailbox/all").json();
        assertThat(all).hasSize(3);
        assertThat(all.get(0)).isEqualTo(alice);
        assertThat(get("get/mailbox/all/missing.local").json()).isEqualTo(all);
        JsonNode reduced = get("get/mailbox/reduced").json();
        List<String> reducedFields = fieldNames(expectedAlice).subList(0, fieldNames(expectedAlice)
                .indexOf("max_new_quota"));
        assertThat(fieldNames(reduced.get(0))).isEqualTo(reducedFields);
        assertThat(reduced).extracting(m -> m.get("username").asText())
                .containsExactly("alice@example.local", "bob@example.local", "dave@example.local");
    }

    // ---------------------------------------------------------------- edit/mailbox

    @Test
    void editMailboxAnswersAndEffects() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        assertThat(post("edit/mailbox", "{\"items\": [\"alice@example.local\"], \"attr\": {\"active\": \"0\"}}").json())
                .isEqualTo(json("""
                        [{"type":"success","log":["mailbox","edit","mailbox",{"username":["alice@example.local"],
                          "active":"0"},null],"msg":["mailbox_modified","alice@example.local"]}]"""));
        JsonNode alice = get("get/mailbox/alice@example.local").json();
        assertThat(alice.get("active").asInt()).isZero();
        assertThat(alice.get("active_int").asInt()).isZero();
        assertThat(alice.get("attributes").has("recovery_email")).isTrue();
        assertThat(alice.get("attributes").get("recovery_email").isNull()).isTrue();

        post("edit/mailbox", "{\"items\": \"alice@example.local\", \"attr\": {\"name\": \"Alice Liddell\"}}");
        post("edit/mailbox", "{\"items\": [\"alice@example.local\"], \"attr\": {\"name\": \"\"}}");
        assertThat(mailcow.mailboxes().get("alice@example.local").name()).isEqualTo("Alice Liddell");

        assertThat(msg(post("edit/mailbox", "{\"items\": [\"nobody@example.local\"], \"attr\": {\"active\": \"0\"}}")
                .json(), 0).asText()).isEqualTo("access_denied");
        assertThat(msg(post("edit/mailbox", "{\"items\": [\"not-an-email\"], \"attr\": {\"active\": \"0\"}}")
                .json(), 0)).isEqualTo(json("[\"username_invalid\",\"not-an-email\"]"));
        post("add/mailbox", mailboxBody("bob", "example.local", 4096));
        for (int quota : new int[] {8192, 2048}) {
            assertThat(msg(post("edit/mailbox", "{\"items\": [\"alice@example.local\"], \"attr\": {\"quota\": "
                    + quota + "}}").json(), 0)).isEqualTo(json("[\"mailbox_quota_left_exceeded\",1024]"));
        }
        assertThat(post("edit/mailbox", "{\"attr\": {\"active\": \"1\"}}").json())
                .isEqualTo(json("{\"type\":\"success\",\"msg\":\"Task completed\"}"));
    }

    @Test
    void editMailboxSeveralItemsInOneCall() {
        post("add/domain", EXAMPLE_DOMAIN);
        for (String user : List.of("a1", "a2", "a3")) {
            post("add/mailbox", mailboxBody(user, "example.local", 10));
        }
        JsonNode answer = post("edit/mailbox", "{\"items\": [\"a1@example.local\", \"ghost@example.local\","
                + " \"a3@example.local\"], \"attr\": {\"active\": 0}}").json();
        assertThat(answer).hasSize(3);
        assertThat(msg(answer, 0)).isEqualTo(json("[\"mailbox_modified\",\"a1@example.local\"]"));
        assertThat(answer.get(1).get("type").asText()).isEqualTo("danger");
        assertThat(msg(answer, 1).asText()).isEqualTo("access_denied");
        assertThat(msg(answer, 2)).isEqualTo(json("[\"mailbox_modified\",\"a3@example.local\"]"));
        assertThat(answer.get(1).get("log").get(3).get("username")).hasSize(3);
        assertThat(mailcow.mailboxes().values()).extracting(MailboxView::active).containsExactly(false, true, false);
    }

    @Test
    void truthyValuesGoThroughIntval() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        String edit = "{\"items\": [\"alice@example.local\"], \"attr\": {\"active\": %s}}";
        post("edit/mailbox", edit.formatted("\"true\""));
        assertThat(mailcow.mailboxes().get("alice@example.local").active()).isFalse();
        post("edit/mailbox", edit.formatted("true"));
        assertThat(mailcow.mailboxes().get("alice@example.local").active()).isTrue();
        post("edit/mailbox", edit.formatted("false"));
        assertThat(mailcow.mailboxes().get("alice@example.local").active()).isFalse();
        post("edit/mailbox", edit.formatted("\"1\""));
        assertThat(mailcow.mailboxes().get("alice@example.local").active()).isTrue();
    }

    // ---------------------------------------------------------------- add/alias

    @Test
    void addAliasAnswersWithItsIdAsString() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        JsonNode answer = post("add/alias",
                "{\"address\": \"info@example.local\", \"goto\": \"alice@example.local\", \"active\": \"1\"}").json();
        assertThat(answer).isEqualTo(json("""
                [{"type":"success","log":["mailbox","add","alias",{"address":"info@example.local",
                  "goto":"alice@example.local","active":"1"},null],
                  "msg":["alias_added","info@example.local","2"]}]"""));
        JsonNode alias = get("get/alias/2").json();
        assertThat(alias).isEqualTo(get("get/alias/INFO@example.local").json());
        JsonNode expected = json("""
                {"in_primary_domain":"","id":2,"domain":"example.local","public_comment":null,"private_comment":null,
                 "goto":"alice@example.local","address":"info@example.local","is_catch_all":0,"internal":0,"active":1,
                 "active_int":1,"sogo_visible":0,"sogo_visible_int":0,"sender_allowed":0,"created":"x",
                 "modified":null}""");
        assertThat(fieldNames(alias)).isEqualTo(fieldNames(expected));
        assertThat(withoutTimes(alias)).isEqualTo(withoutTimes(expected));
        assertThat(get("get/alias/all").json()).containsExactly(alias);
    }

    @Test
    void addAliasDefaultsAndGotoNormalisation() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/alias", "{\"address\": \"sales@example.local\","
                + " \"goto\": \"alice@example.local,bob@example.local\"}");
        post("add/alias", "{\"address\": \"team@example.local\", \"goto\": \"bob@example.local; alice@example.local\\n"
                + "bob@example.local external@example.org\", \"active\": 1, \"sogo_visible\": 1}");
        post("add/alias", "{\"address\": \"Mixed.Case@Example.LOCAL\", \"goto\": \"Alice@Example.local\","
                + " \"active\": true, \"sogo_visible\": true}");
        post("add/alias", "{\"address\": \"strtrue@example.local\", \"goto\": \"alice@example.local\","
                + " \"active\": \"true\"}");
        post("add/alias", "{\"address\": \"devnull@example.local\", \"goto_null\": \"1\", \"active\": \"1\"}");

        AliasView sales = mailcow.aliases().get("sales@example.local");
        assertThat(sales.active()).isFalse();
        assertThat(sales.sogoVisible()).isFalse();
        AliasView team = mailcow.aliases().get("team@example.local");
        assertThat(team.gotoList()).isEqualTo("bob@example.local,alice@example.local,external@example.org");
        assertThat(team.active()).isTrue();
        assertThat(team.sogoVisible()).isTrue();
        AliasView mixed = mailcow.aliases().get("mixed.case@example.local");
        assertThat(mixed.address()).isEqualTo("Mixed.Case@example.local");
        assertThat(mixed.gotoList()).isEqualTo("Alice@example.local");
        assertThat(mailcow.aliases().get("strtrue@example.local").active()).isFalse();
        assertThat(mailcow.aliases().get("devnull@example.local").gotoList()).isEqualTo("null@localhost");
    }

    @Test
    void addAliasErrors() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("bob", "example.local", 10));
        post("add/alias", aliasBody("info@example.local", "alice@example.local"));

        assertThat(msg(post("add/alias", aliasBody("INFO@example.local", "bob@example.local")).json(), 0))
                .isEqualTo(json("[\"is_alias_or_mailbox\",\"INFO@example.local\"]"));
        assertThat(msg(post("add/alias", aliasBody("bob@example.local", "alice@example.local")).json(), 0))
                .isEqualTo(json("[\"is_alias_or_mailbox\",\"bob@example.local\"]"));
        assertThat(post("add/alias", aliasBody("alice@example.local", "alice@example.local")).json())
                .isEqualTo(json("{\"type\":\"success\",\"msg\":\"Task completed\"}"));
        JsonNode broken = post("add/alias", aliasBody("broken@example.local", "not-an-email")).json();
        assertThat(broken).hasSize(1);
        assertThat(msg(broken, 0)).isEqualTo(json("[\"goto_invalid\",\"@\"]"));
        JsonNode half = post("add/alias", aliasBody("half@example.local", "alice@example.local,not-an-email")).json();
        assertThat(half).extracting(e -> e.get("type").asText()).containsExactly("danger", "success");
        assertThat(msg(post("add/alias", aliasBody("empty@example.local", "")).json(), 0).asText())
                .isEqualTo("goto_empty");
        assertThat(msg(post("add/alias", aliasBody("x@missing.local", "alice@example.local")).json(), 0))
                .isEqualTo(json("[\"domain_not_found\",\"missing.local\"]"));
        JsonNode invalid = post("add/alias", aliasBody("bad address@example.local", "alice@example.local")).json();
        assertThat(msg(invalid, 0)).isEqualTo(json("[\"domain_not_found\",\"\"]"));
        assertThat(msg(invalid, 1).get(1).asText()).isEqualTo("address@example.local");
        JsonNode two = post("add/alias", aliasBody("a1@example.local,info@example.local", "bob@example.local")).json();
        assertThat(msg(two, 0).get(0).asText()).isEqualTo("alias_added");
        assertThat(msg(two, 1)).isEqualTo(json("[\"is_alias_or_mailbox\",\"info@example.local\"]"));

        assertThat(mailcow.aliases()).containsOnlyKeys("info@example.local", "half@example.local",
                "address@example.local", "a1@example.local");
        assertThat(get("get/alias/alice@example.local").json()).isEqualTo(json("{}"));
        assertThat(get("get/alias/1").json()).isEqualTo(json("{}"));
    }

    @Test
    void aliasCountLimit() {
        post("add/domain", "{\"domain\": \"tiny.local\", \"aliases\": 1, \"mailboxes\": 1, \"defquota\": 100,"
                + " \"maxquota\": 100, \"quota\": 100}");
        post("add/alias", "{\"address\": \"a@tiny.local\", \"goto\": \"t1@tiny.local\", \"active\": \"1\"}");
        JsonNode answer = post("add/alias", "{\"address\": \"b@tiny.local\", \"goto\": \"t1@tiny.local\"}").json();
        assertThat(msg(answer, 0).asText()).isEqualTo("max_alias_exceeded");
    }

    // ---------------------------------------------------------------- edit/alias, delete/alias

    @Test
    void editAliasByIdOrAddress() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        long id = mailcow.addAlias("info@example.local", "alice@example.local", true);
        assertThat(post("edit/alias", edit(id, "{\"goto\": \"bob@example.local\", \"active\": \"0\"}")).json())
                .isEqualTo(json("""
                [{"type":"success","log":["mailbox","edit","alias",{"id":[%d],"goto":"bob@example.local",
                  "active":"0"},null],"msg":["alias_modified","info@example.local"]}]""".formatted(id)));
        JsonNode alias = get("get/alias/" + id).json();
        assertThat(alias.get("goto").asText()).isEqualTo("bob@example.local");
        assertThat(alias.get("active").asInt()).isZero();
        assertThat(alias.get("modified").isNull()).isFalse();

        post("edit/alias", edit("\"info@example.local\"", "{\"active\": \"1\"}"));
        post("edit/alias", edit(id, "{\"goto\": \"Alice@EXAMPLE.local\"}"));
        assertThat(mailcow.aliases().get("info@example.local").gotoList()).isEqualTo("Alice@EXAMPLE.local");
        assertThat(mailcow.aliases().get("info@example.local").active()).isTrue();

        assertThat(msg(post("edit/alias", edit(id, "{\"address\": \"contact@example.local\"}")).json(), 0))
                .isEqualTo(json("[\"alias_modified\",\"contact@example.local\"]"));
        assertThat(get("get/alias/info@example.local").json()).isEqualTo(json("{}"));
        assertThat(get("get/alias/" + id).json().get("address").asText()).isEqualTo("contact@example.local");
        assertThat(msg(post("edit/alias", edit(id, "{\"address\": \"alice@example.local\"}")).json(), 0))
                .isEqualTo(json("[\"is_alias_or_mailbox\",\"alice@example.local\"]"));
    }

    @Test
    void editAliasErrorsKeepTheAlias() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        long id = mailcow.addAlias("contact@example.local", "alice@example.local,bob@example.local", true);
        JsonNode invalidGoto = post("edit/alias", edit(id, "{\"goto\": \"not-an-email\"}")).json();
        assertThat(msg(invalidGoto, 0)).isEqualTo(json("[\"goto_invalid\",\"not-an-email\"]"));
        assertThat(msg(invalidGoto, 1)).isEqualTo(json("[\"alias_modified\",\"contact@example.local\"]"));
        JsonNode identical = post("edit/alias", edit(id, "{\"goto\": \"contact@example.local\"}")).json();
        assertThat(msg(identical, 0).asText()).isEqualTo("alias_goto_identical");
        assertThat(mailcow.aliases().get("contact@example.local").gotoList())
                .isEqualTo("alice@example.local,bob@example.local");

        for (String item : List.of("999999", "\"nothere@example.local\"", "\"alice@example.local\"")) {
            JsonNode answer = post("edit/alias", edit(item, "{\"active\": \"0\"}")).json();
            assertThat(answer.get(0).get("type").asText()).isEqualTo("danger");
            assertThat(msg(answer, 0)).as(item).isEqualTo(json("[\"alias_invalid\",null]"));
        }
        assertThat(post("edit/alias", "{\"attr\": {\"active\": \"0\"}}").json())
                .isEqualTo(json("{\"type\":\"success\",\"msg\":\"Task completed\"}"));
        assertThat(mailcow.aliases().get("contact@example.local").active()).isTrue();
    }

    @Test
    void deleteAliasTakesABareArrayOfIdsOrAddresses() {
        post("add/domain", EXAMPLE_DOMAIN);
        long sales = mailcow.addAlias("sales@example.local", "alice@example.local", true);
        mailcow.addAlias("team@example.local", "alice@example.local", true);
        long contact = mailcow.addAlias("contact@example.local", "alice@example.local", true);
        assertThat(post("delete/alias", "[" + sales + "]").json()).isEqualTo(json("""
                [{"type":"success","log":["mailbox","delete","alias",{"id":[%d]},null],
                  "msg":["alias_removed","sales@example.local"]}]""".formatted(sales)));
        assertThat(msg(post("delete/alias", "[" + sales + "]").json(), 0).asText()).isEqualTo("access_denied");
        assertThat(msg(post("delete/alias", "[\"team@example.local\"]").json(), 0))
                .isEqualTo(json("[\"alias_removed\",\"team@example.local\"]"));
        assertThat(msg(post("delete/alias", "[\"" + contact + "\"]").json(), 0))
                .isEqualTo(json("[\"alias_removed\",\"contact@example.local\"]"));
        assertThat(post("delete/alias", "{\"items\": [999998]}").json()).isEqualTo(json("""
                [{"type":"danger","log":["mailbox","delete","alias",{"id":{"items":[999998]}},null],
                  "msg":"access_denied"}]"""));
        assertThat(mailcow.aliases()).isEmpty();
    }

    // ---------------------------------------------------------------- edit/user-acl

    @Test
    void userAclIsReplacedAsAWhole() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("dave", "example.local", 10));
        assertThat(mailcow.mailboxes().get("alice@example.local").userAcl()).containsExactly("spam_alias",
                "tls_policy", "spam_score", "spam_policy", "delimiter_action", "eas_reset", "pushover", "quarantine",
                "quarantine_attachments", "quarantine_notification", "quarantine_category", "app_passwds");

        assertThat(post("edit/user-acl", "{\"items\": [\"alice@example.local\"], \"attr\": {\"user_acl\":"
                + " [\"spam_alias\", \"app_passwds\", \"no_such_acl\"]}}").json()).isEqualTo(json("""
                [{"type":"success","log":["acl","edit","user",{"username":["alice@example.local"],
                  "user_acl":["spam_alias","app_passwds","no_such_acl"]}],
                  "msg":["acl_saved","alice@example.local"]}]"""));
        assertThat(mailcow.mailboxes().get("alice@example.local").userAcl())
                .containsExactly("spam_alias", "app_passwds");

        post("edit/user-acl", "{\"items\": \"dave@example.local\", \"attr\": {\"user_acl\": \"spam_alias\"}}");
        assertThat(mailcow.mailboxes().get("dave@example.local").userAcl()).containsExactly("spam_alias");
        post("edit/user-acl", "{\"items\": [\"dave@example.local\"], \"attr\": {\"user_acl\": []}}");
        assertThat(mailcow.mailboxes().get("dave@example.local").userAcl()).isEmpty();
        assertThat(msg(post("edit/user-acl", "{\"items\": [\"nobody@example.local\"], \"attr\": {\"user_acl\":"
                + " [\"spam_alias\"]}}").json(), 0).asText()).isEqualTo("access_denied");
    }

    @Test
    void userAclForAnotherSpellingOfTheMailboxIsRefused() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", mailboxBody("Grace.Green", "Example.Local", 10));
        assertThat(mailcow.mailboxes()).containsOnlyKeys("grace.green@example.local");
        // add/mailbox stored the address lower-cased; edit/user-acl only finds it spelled that way
        for (String other : List.of("Grace.Green@Example.Local", " grace.green@example.local ")) {
            assertThat(msg(post("edit/user-acl", "{\"items\": [\"" + other + "\"], \"attr\": {\"user_acl\":"
                    + " [\"spam_alias\"]}}").json(), 0).asText()).as(other).isEqualTo("access_denied");
        }
        assertThat(mailcow.mailboxes().get("grace.green@example.local").userAcl()).contains("app_passwds");
        assertThat(msg(post("edit/user-acl", "{\"items\": [\"grace.green@example.local\"], \"attr\": {\"user_acl\":"
                + " [\"spam_alias\"]}}").json(), 0).get(0).asText()).isEqualTo("acl_saved");
        assertThat(mailcow.mailboxes().get("grace.green@example.local").userAcl()).containsExactly("spam_alias");
    }

    // ---------------------------------------------------------------- app passwords (read from mailcow's code)

    @Test
    void appPasswordsAreListedPerMailboxAndDeletedByABareArrayOfIds() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("dave", "example.local", 10));
        assertThat(get("get/app-passwd/all/alice@example.local").body()).isEqualTo("{}");

        assertThat(post("add/app-passwd", """
                {"username": "alice@example.local", "app_name": "Phone <mail>", "app_passwd": "Phone-Pass-1",
                 "app_passwd2": "Phone-Pass-1", "active": 1, "protocols": ["imap_access", "smtp_access"]}""").json())
                .isEqualTo(json("""
                [{"type":"success","log":["app_passwd","add",{"username":"alice@example.local","app_name":"Phone <mail>",
                  "app_passwd":"*","app_passwd2":"*","active":1,"protocols":["imap_access","smtp_access"]}],
                  "msg":"app_passwd_added"}]"""));
        long laptop = mailcow.addAppPassword("alice@example.local", "Laptop");
        long daves = mailcow.addAppPassword("dave@example.local", "Tablet");

        JsonNode listing = get("get/app-passwd/all/alice@example.local").json();
        assertThat(listing).hasSize(2);
        assertThat(fieldNames(listing.get(0))).containsExactly("id", "name", "mailbox", "domain", "password",
                "created", "modified", "imap_access", "smtp_access", "dav_access", "eas_access", "pop3_access",
                "sieve_access", "active");
        assertThat(listing.get(0).get("name").asText()).isEqualTo("Phone &lt;mail&gt;");
        assertThat(listing.get(0).get("password").asText()).startsWith("{SSHA256}").doesNotContain("Phone-Pass-1");
        assertThat(listing.get(0).get("imap_access").asInt()).isEqualTo(1);
        assertThat(listing.get(0).get("dav_access").asInt()).isZero();
        assertThat(listing.get(1).get("id").asLong()).isEqualTo(laptop);
        long phone = listing.get(0).get("id").asLong();
        // a mailbox that does not exist, and no mailbox at all (the API user's own): {}
        assertThat(get("get/app-passwd/all/nobody@example.local").body()).isEqualTo("{}");
        assertThat(get("get/app-passwd/all").body()).isEqualTo("{}");

        assertThat(post("delete/app-passwd", "[" + phone + ", " + laptop + "]").json()).isEqualTo(json("""
                [{"type":"success","log":["app_passwd","delete",{"id":[%d,%d]}],"msg":["app_passwd_removed","%d"]},
                 {"type":"success","log":["app_passwd","delete",{"id":[%d,%d]}],"msg":["app_passwd_removed","%d"]}]"""
                .formatted(phone, laptop, phone, phone, laptop, laptop)));
        assertThat(mailcow.appPasswords("alice@example.local")).isEmpty();
        assertThat(get("get/app-passwd/all/alice@example.local").body()).isEqualTo("{}");

        // an unknown id ends the call: the ids after it stay
        assertThat(post("delete/app-passwd", "[999, " + daves + "]").json()).isEqualTo(json("""
                [{"type":"danger","log":["app_passwd","delete",{"id":[999,%d]}],"msg":"app_passwd_id_invalid"}]"""
                .formatted(daves)));
        assertThat(mailcow.appPasswords("dave@example.local")).containsExactly("Tablet");
        assertThat(msg(post("add/app-passwd", """
                {"username": "nobody@example.local", "app_name": "x", "app_passwd": "Phone-Pass-1",
                 "app_passwd2": "Phone-Pass-1", "active": 1}""").json(), 0).asText()).isEqualTo("access_denied");
    }

    @Test
    void activeTwoDisallowsLoginAndIsListedAsTwo() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        assertThat(msg(post("edit/mailbox", edit("\"alice@example.local\"", "{\"active\": \"2\"}")).json(), 0))
                .isEqualTo(json("[\"mailbox_modified\",\"alice@example.local\"]"));
        JsonNode reduced = get("get/mailbox/reduced").json().get(0);
        assertThat(reduced.get("active").asInt()).isEqualTo(2);
        assertThat(reduced.get("active_int").asInt()).isEqualTo(2);
        assertThat(mailcow.mailboxes().get("alice@example.local").loginDisallowed()).isTrue();
    }

    // ---------------------------------------------------------------- delete/mailbox

    @Test
    void deleteMailboxCleansUpItsAliases() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("bob", "example.local", 10));
        mailcow.addAlias("a1@example.local", "bob@example.local", true);
        mailcow.addAlias("team@example.local", "bob@example.local,alice@example.local", true);
        assertThat(post("delete/mailbox", "[\"bob@example.local\"]").json()).isEqualTo(json("""
                [{"type":"success","log":["mailbox","delete","mailbox",{"username":["bob@example.local"]},null],
                  "msg":["mailbox_removed","bob@example.local"]}]"""));
        assertThat(mailcow.mailboxes()).containsOnlyKeys("alice@example.local");
        assertThat(mailcow.aliases()).containsOnlyKeys("team@example.local");
        assertThat(mailcow.aliases().get("team@example.local").gotoList()).isEqualTo("alice@example.local");
        assertThat(msg(post("delete/mailbox", "[\"bob@example.local\"]").json(), 0).asText())
                .isEqualTo("access_denied");
        assertThat(msg(post("delete/mailbox", "[\"not-an-email\"]").json(), 0).asText()).isEqualTo("access_denied");
        JsonNode two = post("delete/mailbox", "[\"alice@example.local\", \"ghost@example.local\"]").json();
        assertThat(two).extracting(e -> e.get("type").asText()).containsExactly("success", "danger");
        // The address is free again: the hidden self-alias went with the mailbox.
        assertThat(msg(post("add/alias", "{\"address\": \"bob@example.local\", \"goto\": \"x@example.org\"}").json(), 0)
                .get(0).asText()).isEqualTo("alias_added");
    }

    // ---------------------------------------------------------------- authsource

    @Test
    void ldapAuthsourceNeedsAnIdentityProvider() {
        post("add/domain", EXAMPLE_DOMAIN);
        String ldapUser = "{\"local_part\": \"%s\", \"domain\": \"example.local\", \"password\": \"Secret-Pass-123\","
                + " \"password2\": \"Secret-Pass-123\", \"quota\": 10, \"authsource\": \"ldap\"}";
        post("add/mailbox", ldapUser.formatted("u1"));
        assertThat(mailcow.mailboxes().get("u1@example.local").authsource()).isEqualTo("mailcow");
        assertThat(get("get/mailbox/u1@example.local").json().get("authsource").asText()).isEqualTo("mailcow");

        mailcow.setLdapIdentityProvider(true);
        post("add/mailbox", ldapUser.formatted("u2"));
        MailboxView u2 = mailcow.mailboxes().get("u2@example.local");
        assertThat(u2.authsource()).isEqualTo("ldap");
        assertThat(u2.passwordSet()).isFalse();
        JsonNode noPassword = post("add/mailbox", "{\"local_part\": \"u3\", \"domain\": \"example.local\","
                + " \"quota\": 10, \"authsource\": \"ldap\"}").json();
        assertThat(msg(noPassword, 1)).isEqualTo(json("[\"mailbox_added\",\"u3@example.local\"]"));
    }

    // ---------------------------------------------------------------- emulator features

    @Test
    void seedingAndInspection() {
        mailcow.addDomain("seed.example");
        mailcow.addMailbox("Carol@Seed.example", "Carol", false);
        long id = mailcow.addAlias("Staff@Seed.Example", "carol@seed.example; ext@Other.ORG", true);
        MailboxView carol = mailcow.mailboxes().get("carol@seed.example");
        assertThat(carol.active()).isFalse();
        assertThat(carol.name()).isEqualTo("Carol");
        assertThat(carol.quotaMiB()).isEqualTo(3072);
        assertThat(carol.passwordSet()).isTrue();
        AliasView staff = mailcow.aliases().get("staff@seed.example");
        assertThat(staff.id()).isEqualTo(id);
        assertThat(staff.gotos()).containsExactly("carol@seed.example", "ext@other.org");
        assertThat(get("get/alias/" + id).json().get("address").asText()).isEqualTo("Staff@seed.example");
        assertThat(msg(post("add/alias", "{\"address\": \"carol@seed.example\", \"goto\": \"x@y.org\"}").json(), 0))
                .isEqualTo(json("[\"is_alias_or_mailbox\",\"carol@seed.example\"]"));
        assertThat(mailcow.baseUrl()).isEqualTo("http://127.0.0.1:" + mailcow.port());
    }

    @Test
    void requestsAreRecordedAndCounted() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        get("get/mailbox/alice@example.local");
        get("get/mailbox/bob@example.local");
        get("get/mailbox/reduced");
        get("get/alias/all/example.local");
        assertThat(mailcow.writeCount()).isEqualTo(2);
        assertThat(mailcow.countByEndpoint()).containsEntry("GET get/mailbox/{item}", 2L)
                .containsEntry("GET get/mailbox/reduced", 1L).containsEntry("POST add/mailbox", 1L)
                .containsEntry("GET get/alias/all/{item}", 1L).hasSize(5);
        RecordedRequest add = mailcow.requests().get(1);
        assertThat(add.method()).isEqualTo("POST");
        assertThat(add.path()).isEqualTo("/api/v1/add/mailbox");
        assertThat(add.header("x-api-key")).isEqualTo(KEY);
        assertThat(add.json().get("local_part").asText()).isEqualTo("alice");
        assertThat(add.status()).isEqualTo(200);
        assertThat(add.responseBody()).contains("mailbox_added");
        assertThat(add.time()).isNotNull();
        mailcow.resetRequests();
        assertThat(mailcow.requests()).isEmpty();
    }

    @Test
    void injectedHttpFailures() {
        mailcow.failNextRequests(2, 500);
        for (int i = 0; i < 2; i++) {
            Reply failed = get("get/domain/all");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.contentType()).startsWith("text/html");
            assertThat(failed.body()).contains("<title>500 Internal Server Error</title>");
        }
        assertThat(get("get/domain/all").status()).isEqualTo(200);
        mailcow.failNextRequests(1, 429);
        assertThat(get("get/domain/all").status()).isEqualTo(429);

        mailcow.setAvailable(false);
        assertThat(get("get/domain/all").status()).isEqualTo(502);
        assertThat(post("add/domain", EXAMPLE_DOMAIN).body()).contains("502 Bad Gateway");
        mailcow.setAvailable(true);
        assertThat(get("get/domain/all").status()).isEqualTo(200);
        assertThat(mailcow.domains()).isEmpty();
    }

    @Test
    void refusedWritesChangeNothing() {
        post("add/domain", EXAMPLE_DOMAIN);
        mailcow.refuse(r -> r.path().endsWith("add/mailbox") && r.json().path("local_part").asText().equals("bob"),
                "max_mailbox_exceeded");
        JsonNode refused = post("add/mailbox", mailboxBody("bob", "example.local", 10)).json();
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).get("type").asText()).isEqualTo("danger");
        assertThat(refused.get(0).get("msg").asText()).isEqualTo("max_mailbox_exceeded");
        assertThat(refused.get(0).get("log").get(3).get("password").asText()).isEqualTo("*");
        assertThat(msg(post("add/mailbox", ALICE).json(), 1).get(0).asText()).isEqualTo("mailbox_added");
        assertThat(mailcow.mailboxes()).containsOnlyKeys("alice@example.local");
        mailcow.clearFaults();
        post("add/mailbox", mailboxBody("bob", "example.local", 10));
        assertThat(mailcow.mailboxes()).containsKey("bob@example.local");
    }

    @Test
    void emptyBodyAnswers() {
        post("add/domain", EXAMPLE_DOMAIN);
        post("add/mailbox", ALICE);
        post("add/mailbox", mailboxBody("bob", "example.local", 10));
        mailcow.emptyBodyOnce(r -> r.path().endsWith("delete/mailbox"), true);
        Reply applied = post("delete/mailbox", "[\"bob@example.local\"]");
        assertThat(applied.status()).isEqualTo(200);
        assertThat(applied.body()).isEmpty();
        assertThat(mailcow.mailboxes()).doesNotContainKey("bob@example.local");

        mailcow.emptyBodyOnce(r -> r.path().endsWith("delete/mailbox"), false);
        assertThat(post("delete/mailbox", "[\"alice@example.local\"]").body()).isEmpty();
        assertThat(mailcow.mailboxes()).containsKey("alice@example.local");
        assertThat(msg(post("delete/mailbox", "[\"alice@example.local\"]").json(), 0).get(0).asText())
                .isEqualTo("mailbox_removed");
    }

    @Test
    void concurrentWritesAreAllApplied() {
        mailcow.addDomain("load.example");
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> replies.add(HTTP.sendAsync(request("POST", "add/mailbox",
                mailboxBody("user" + i, "load.example", 1), KEY, true), HttpResponse.BodyHandlers.ofString())));
        replies.forEach(r -> assertThat(r.join().body()).contains("mailbox_added"));
        assertThat(mailcow.mailboxes()).hasSize(40);
        assertThat(get("get/mailbox/reduced").json()).hasSize(40);
        assertThat(mailcow.countByEndpoint()).containsEntry("POST add/mailbox", 40L);
    }

    @Test
    void latenciesSlowRequestsDown() {
        mailcow.addDomain("slow.example");
        for (int i = 0; i < 5; i++) {
            mailcow.addMailbox("u" + i + "@slow.example", "U" + i, true);
        }
        mailcow.setListingLatencyPerItem(Duration.ofMillis(30));
        long start = System.nanoTime();
        get("get/mailbox/reduced");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));

        mailcow.setWriteLatency(Duration.ofMillis(200));
        start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> edits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            edits.add(HTTP.sendAsync(request("POST", "edit/mailbox", "{\"items\": [\"u" + i + "@slow.example\"],"
                    + " \"attr\": {\"active\": 0}}", KEY, true), HttpResponse.BodyHandlers.ofString()));
        }
        edits.forEach(CompletableFuture::join);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofMillis(750));
    }

    // ---------------------------------------------------------------- helpers

    private static String mailboxBody(String localPart, String domain, int quota) {
        return """
                {"local_part": "%s", "domain": "%s", "name": "%s", "password": "Secret-Pass-123",
                 "password2": "Secret-Pass-123", "quota": %d, "active": 1}"""
                .formatted(localPart, domain, localPart, quota);
    }

    private static String aliasBody(String address, String goTo) {
        return "{\"address\": \"%s\", \"goto\": \"%s\", \"active\": \"1\"}".formatted(address, goTo);
    }

    /** An edit body: {"items": [item], "attr": attr}. */
    private static String edit(Object item, String attr) {
        return "{\"items\": [" + item + "], \"attr\": " + attr + "}";
    }

    private Reply get(String route) {
        return send("GET", route, null, KEY);
    }

    private Reply post(String route, String body) {
        return send("POST", route, body, KEY);
    }

    private Reply send(String method, String route, String body, String key) {
        try {
            HttpResponse<String> response = HTTP.send(request(method, route, body, key, body != null),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String method, String route, String body, String key, boolean json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(mailcow.baseUrl() + "/api/v1/" + route))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        if (json) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    /** The msg of the n-th entry of a write answer. */
    private static JsonNode msg(JsonNode answer, int entry) {
        assertThat(answer.isArray()).as("answer is a list: %s", answer).isTrue();
        return answer.get(entry).get("msg");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Drops the timestamps, which differ from run to run. */
    private static JsonNode withoutTimes(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(List.of("created", "modified"));
        if (copy.get("attributes") instanceof ObjectNode attributes) {
            attributes.remove("passwd_update");
        }
        return copy;
    }
}
