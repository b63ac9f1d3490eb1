package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * mailcow's tables as far as the API shows them. Not thread-safe by itself: every caller holds the lock of
 * this object ({@code synchronized (state)}), so one request sees and changes a consistent state.
 */
final class MailcowState {

    static final long MIB = 1024L * 1024L;
    /** The user ACLs in mailcow's column order. */
    static final List<String> USER_ACLS = List.of("spam_alias", "tls_policy", "spam_score", "spam_policy",
            "delimiter_action", "syncjobs", "eas_reset", "sogo_profile_reset", "pushover", "quarantine",
            "quarantine_attachments", "quarantine_notification", "quarantine_category", "app_passwds", "pw_reset");
    /** The ones a new mailbox starts without; it gets all the others. */
    static final List<String> ACLS_OFF_BY_DEFAULT = List.of("syncjobs", "sogo_profile_reset", "pw_reset");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final TreeMap<String, Domain> domains = new TreeMap<>();
    private final Map<String, Mailbox> mailboxes = new HashMap<>();
    // Mailboxes and aliases share mailcow's alias table, so ids and address clashes are shared too.
    private final TreeMap<Long, Alias> aliases = new TreeMap<>();
    private final Map<String, Alias> aliasByAddress = new HashMap<>();
    // what mailcow counts with SQL per domain, kept up to date so a write costs the same however full mailcow is
    private final Map<String, Counts> counts = new HashMap<>();
    private long nextAliasId = 1;
    // mailcow's app_passwd table, by id (AUTO_INCREMENT)
    private final TreeMap<Long, AppPassword> appPasswords = new TreeMap<>();
    private long nextAppPasswordId = 1;
    private final Clock clock;
    boolean ldapIdentityProvider;

    MailcowState(Clock clock) {
        this.clock = clock;
    }

    /** Per domain: mailboxes, their quota, and user aliases (mailbox rows not counted). */
    private static final class Counts {
        long mailboxes;
        long quotaBytes;
        long aliases;
    }

    static final class Domain {
        final String name;
        String description;
        long maxAliases;
        long maxMailboxes;
        long defQuotaMiB;
        long maxQuotaMiB;
        long quotaMiB;
        long active = 1;
        final String created;

        Domain(String name, String created) {
            this.name = name;
            this.created = created;
        }
    }

    static final class Mailbox {
        final String username;
        final String localPart;
        final String domain;
        String name;
        /** Changed through {@link MailcowState#setQuota} only, which keeps the domain's total. */
        long quotaBytes;
        long active;
        String authsource;
        boolean passwordSet;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Map<String, Integer> acl = new LinkedHashMap<>();
        final String created;
        String modified;

        Mailbox(String localPart, String domain, String created) {
            this.localPart = localPart;
            this.domain = domain;
            this.username = localPart + "@" + domain;
            this.created = created;
            this.modified = created;
        }
    }

    static final class Alias {
        final long id;
        String address;
        String gotoList;
        String domain;
        long active;
        long sogoVisible;
        String publicComment;
        String privateComment;
        final String created;
        String modified;

        Alias(long id, String created) {
            this.id = id;
            this.created = created;
        }

        /** The hidden row every mailbox has (address = goto = username); the API never shows it. */
        boolean isMailboxRow() {
            return address.equalsIgnoreCase(gotoList);
        }
    }

    /**
     * A row of mailcow's {@code app_passwd} table (columns in the order of its {@code init_db.inc.php}). The
     * password is kept only as a stand-in for mailcow's salted hash, never as given.
     */
    static final class AppPassword {
        final long id;
        final String name;
        final String mailbox;
        final String domain;
        final String passwordHash;
        final String created;
        final Map<String, Integer> protocols = new LinkedHashMap<>();
        long active;

        AppPassword(long id, String name, String mailbox, String domain, String passwordHash, String created) {
            this.id = id;
            this.name = name;
            this.mailbox = mailbox;
            this.domain = domain;
            this.passwordHash = passwordHash;
            this.created = created;
        }
    }

    String now() {
        return LocalDateTime.now(clock).format(TIMESTAMP);
    }

    // ---- domains

    Domain domain(String name) {
        return domains.get(name.toLowerCase(Locale.ROOT));
    }

    List<Domain> domains() {
        return new ArrayList<>(domains.values());
    }

    Domain insertDomain(String name) {
        Domain domain = new Domain(name, now());
        domains.put(name, domain);
        return domain;
    }

    List<Mailbox> mailboxesOf(String domain) {
        return mailboxes.values().stream().filter(m -> m.domain.equals(domain))
                .sorted(Comparator.comparing(m -> m.username)).toList();
    }

    /** All mailboxes, in mailcow's listing order: by domain, then by username. */
    List<Mailbox> mailboxes() {
        return mailboxes.values().stream()
                .sorted(Comparator.comparing((Mailbox m) -> m.domain).thenComparing(m -> m.username)).toList();
    }

    long allocatedMiB(String domain) {
        return counts(domain).quotaBytes / MIB;
    }

    long mailboxCount(String domain) {
        return counts(domain).mailboxes;
    }

    /** Aliases counted against the domain's limit: the user aliases, not the mailbox rows. */
    long aliasCount(String domain) {
        return counts(domain).aliases;
    }

    private Counts counts(String domain) {
        return counts.computeIfAbsent(domain, d -> new Counts());
    }

    /** How much quota this mailbox could have: the domain's rest plus its own, capped by the per-mailbox max. */
    long maxNewQuotaBytes(Mailbox mailbox) {
        return maxNewQuotaBytes(mailbox, allocatedMiB(mailbox.domain));
    }

    /** The same, with the domain's allocated quota already known (listings compute it once per domain). */
    long maxNewQuotaBytes(Mailbox mailbox, long allocatedMiB) {
        Domain domain = domain(mailbox.domain);
        long left = (domain.quotaMiB - allocatedMiB) * MIB + mailbox.quotaBytes;
        return Math.min(domain.maxQuotaMiB * MIB, left);
    }

    // ---- mailboxes

    Mailbox mailbox(String username) {
        return mailboxes.get(username.toLowerCase(Locale.ROOT));
    }

    Mailbox insertMailbox(String localPart, String domain, long active) {
        Mailbox mailbox = new Mailbox(localPart, domain, now());
        mailbox.active = active;
        mailboxes.put(mailbox.username, mailbox);
        counts(domain).mailboxes++;
        Alias self = insertAlias(mailbox.username, mailbox.username, domain);
        self.active = active;
        self.sogoVisible = 1;
        return mailbox;
    }

    void removeMailbox(Mailbox mailbox) {
        if (mailboxes.remove(mailbox.username) != null) {
            appPasswords.values().removeIf(a -> a.mailbox.equals(mailbox.username));
            counts(mailbox.domain).mailboxes--;
            counts(mailbox.domain).quotaBytes -= mailbox.quotaBytes;
        }
    }

    void setQuota(Mailbox mailbox, long bytes) {
        if (mailboxes.get(mailbox.username) == mailbox) {
            counts(mailbox.domain).quotaBytes += bytes - mailbox.quotaBytes;
        }
        mailbox.quotaBytes = bytes;
    }

    // ---- aliases

    /** Any alias row, mailbox rows included: what mailcow's "is it taken?" checks look at. */
    Alias aliasRow(String address) {
        return aliasByAddress.get(address.toLowerCase(Locale.ROOT));
    }

    /** An alias as {@code alias_details} finds it: by id (number or digits) or by address, never a mailbox row. */
    Alias visibleAlias(JsonNode idOrAddress) {
        if (!Php.isset(idOrAddress) || idOrAddress.isContainerNode()) {
            return null;
        }
        String text = Php.str(idOrAddress);
        Alias found = idOrAddress.isNumber() || text.matches("\\d+") ? aliases.get(Php.intval(idOrAddress))
                : aliasRow(text);
        return found == null || found.isMailboxRow() ? null : found;
    }

    /** The user aliases of a domain, by id. */
    List<Alias> aliasesOf(String domain) {
        return aliases.values().stream().filter(a -> a.domain.equals(domain) && !a.isMailboxRow()).toList();
    }

    List<Alias> aliasRows() {
        return new ArrayList<>(aliases.values());
    }

    Alias insertAlias(String address, String gotoList, String domain) {
        Alias alias = new Alias(nextAliasId++, now());
        alias.address = address;
        alias.gotoList = gotoList;
        alias.domain = domain;
        aliases.put(alias.id, alias);
        aliasByAddress.put(address.toLowerCase(Locale.ROOT), alias);
        count(alias, 1);
        return alias;
    }

    /** Changes an alias's address, domain or goto (which decide whether it counts as a user alias). */
    void changeAlias(Alias alias, Runnable change) {
        count(alias, -1);
        change.run();
        count(alias, 1);
    }

    void renameAlias(Alias alias, String newAddress) {
        changeAlias(alias, () -> {
            aliasByAddress.remove(alias.address.toLowerCase(Locale.ROOT));
            alias.address = newAddress;
            aliasByAddress.put(newAddress.toLowerCase(Locale.ROOT), alias);
        });
    }

    void removeAlias(Alias alias) {
        if (aliases.remove(alias.id) != null) {
            count(alias, -1);
        }
        aliasByAddress.remove(alias.address.toLowerCase(Locale.ROOT));
    }

    private void count(Alias alias, int delta) {
        if (!alias.isMailboxRow()) {
            counts(alias.domain).aliases += delta;
        }
    }

    // ---- app passwords

    AppPassword insertAppPassword(String name, Mailbox mailbox, String passwordHash, long active) {
        AppPassword row = new AppPassword(nextAppPasswordId++, name, mailbox.username, mailbox.domain, passwordHash, now());
        row.active = active;
        appPasswords.put(row.id, row);
        return row;
    }

    AppPassword appPassword(long id) {
        return appPasswords.get(id);
    }

    /** {@code SELECT ... FROM app_passwd WHERE mailbox = :username}, in id order. */
    List<AppPassword> appPasswordsOf(String username) {
        return appPasswords.values().stream().filter(a -> a.mailbox.equalsIgnoreCase(username)).toList();
    }

    void removeAppPassword(AppPassword row) {
        appPasswords.remove(row.id);
    }
}
