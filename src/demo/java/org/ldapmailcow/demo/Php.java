package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PHP conversions mailcow applies to JSON input. The emulator must make the same (sometimes surprising)
 * choices, e.g. {@code intval("true") == 0}, or a sync client tested against it would pass here and fail there.
 */
final class Php {

    private static final Pattern NUMERIC_PREFIX =
            Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SEPARATORS = Pattern.compile("[ ,;\n]");
    // FILTER_VALIDATE_EMAIL without quoted local parts and IP literals: the TLD must start with a letter and
    // a dot is required, so "null@localhost" is not valid either.
    private static final Pattern EMAIL = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([a-z0-9]+(-+[a-z0-9]+)*\\.)+([a-z][a-z0-9]*|xn--[a-z0-9]+)(-+[a-z0-9]+)*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DOMAIN_NAME =
            Pattern.compile("([a-z\\d](-*[a-z\\d])*)(\\.([a-z\\d](-*[a-z\\d])*))*", Pattern.CASE_INSENSITIVE);

    private Php() {
    }

    /** {@code isset()}: present and not null. */
    static boolean isset(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /** {@code empty()}: unset, null, false, 0, "", "0" or an empty array. */
    static boolean empty(JsonNode value) {
        if (!isset(value)) {
            return true;
        }
        if (value.isContainerNode()) {
            return value.isEmpty();
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() == 0;
        }
        return empty(value.asText());
    }

    static boolean empty(String value) {
        return value == null || value.isEmpty() || value.equals("0");
    }

    /** {@code intval()}: 1, "1" and true are 1; "true", "", null and false are 0; "12abc" is 12. */
    static long intval(JsonNode value) {
        if (!isset(value)) {
            return 0;
        }
        if (value.isContainerNode()) {
            return value.isEmpty() ? 0 : 1;
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? value.longValue() : (long) value.doubleValue();
        }
        return intval(value.asText());
    }

    static long intval(String text) {
        Matcher m = NUMERIC_PREFIX.matcher(text.stripLeading());
        if (!m.find()) {
            return 0;
        }
        String number = m.group();
        if (number.contains(".") || m.group(3) != null) {
            return (long) Double.parseDouble(number);
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException overflow) {
            return number.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** String conversion of a scalar: null is "", true is "1", false is "". */
    static String str(JsonNode value) {
        if (!isset(value)) {
            return "";
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "1" : "";
        }
        if (value.isContainerNode()) {
            return "Array";
        }
        return value.asText();
    }

    /** {@code array_map('trim', preg_split("/( |,|;|\n)/", $s))}: empty parts are kept, as in PHP. */
    static List<String> splitList(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : SEPARATORS.split(text, -1)) {
            parts.add(part.strip());
        }
        return parts;
    }

    /** {@code array_filter(array_unique($list))}: first occurrence wins, empty entries go. */
    static List<String> uniqueNonEmpty(List<String> list) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String entry : list) {
            if (!empty(entry)) {
                unique.add(entry);
            }
        }
        return new ArrayList<>(unique);
    }

    static boolean isEmail(String text) {
        int at = text.lastIndexOf('@');
        return at > 0 && at <= 64 && text.length() <= 254 && EMAIL.matcher(text).matches();
    }

    /** mailcow's {@code is_valid_domain_name()}. */
    static boolean isValidDomainName(String domain) {
        if (empty(domain)) {
            return false;
        }
        String ascii = idn(domain);
        if (ascii.isEmpty() || ascii.length() > 253 || !DOMAIN_NAME.matcher(ascii).matches()) {
            return false;
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    /** {@code idn_to_ascii(..., UTS46)}: lower-cases; an invalid name yields "". */
    static String idn(String domain) {
        if (domain.isEmpty()) {
            return "";
        }
        try {
            return IDN.toASCII(domain.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException invalid) {
            return "";
        }
    }

    /** {@code strstr($s, '@', true)}: the part before the first '@', or null when there is none. */
    static String localPart(String address) {
        int at = address.indexOf('@');
        return at < 0 ? null : address.substring(0, at);
    }

    /** {@code substr(strstr($s, '@'), 1)}: the part after the first '@', or "" when there is none. */
    static String domainPart(String address) {
        int at = address.indexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    /** How mailcow rebuilds an address: the local part as given, the domain through {@link #idn}. */
    static String normaliseAddress(String address) {
        String local = localPart(address);
        return (local == null ? "" : local) + "@" + idn(domainPart(address));
    }
}
