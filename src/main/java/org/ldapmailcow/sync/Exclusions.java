package org.ldapmailcow.sync;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;

/**
 * Addresses the tool never creates, changes or deactivates ({@code LDAP_MAILCOW_EXCLUDE}): exact addresses or
 * glob patterns such as {@code *@lab.example.com} or {@code svc-*@example.com}, case-insensitive.
 */
public final class Exclusions {

    private final List<PathMatcher> patterns;

    public Exclusions(List<String> patterns) {
        // glob matching from the JDK; '/' never occurs in an address, so path semantics do not interfere
        this.patterns = patterns.stream()
                .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p.toLowerCase(Locale.ROOT)))
                .toList();
    }

    public static Exclusions none() {
        return new Exclusions(List.of());
    }

    public boolean excludes(String address) {
        if (address == null || patterns.isEmpty() || address.contains("/")) {
            return false;
        }
        Path path = Path.of(address.toLowerCase(Locale.ROOT));
        return patterns.stream().anyMatch(m -> m.matches(path));
    }
}
