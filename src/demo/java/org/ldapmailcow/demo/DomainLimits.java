package org.ldapmailcow.demo;

/**
 * A domain's limits as {@code add/domain} takes them: counts, and quotas in MiB (mailcow's {@code quota} is the
 * whole domain's, {@code maxQuotaMiB} the most one mailbox may have, {@code defQuotaMiB} the form default).
 */
public record DomainLimits(long maxMailboxes, long maxAliases, long defQuotaMiB, long maxQuotaMiB, long quotaMiB) {

    /** mailcow's Default domain template: what {@code add/domain} uses for fields it is not given. */
    public static DomainLimits mailcowDefault() {
        return new DomainLimits(10, 400, 3072, 10240, 10240);
    }

    /** Room for a large directory: what seeding uses, so demos and benchmarks do not hit limits by accident. */
    public static DomainLimits generous() {
        return new DomainLimits(1_000_000, 1_000_000, 3072, 102_400, 1_000_000L * 102_400);
    }

    void applyTo(MailcowState.Domain domain) {
        domain.maxMailboxes = maxMailboxes;
        domain.maxAliases = maxAliases;
        domain.defQuotaMiB = defQuotaMiB;
        domain.maxQuotaMiB = maxQuotaMiB;
        domain.quotaMiB = quotaMiB;
    }
}
