package org.ldapmailcow.directory;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * AD's {@code objectGUID} as the usual GUID string ({@code 3f2504e0-4f89-11d3-9a0c-0305e82c3301}). AD stores the
 * first three fields little-endian, so the bytes are not in the order of the text.
 */
public final class ObjectGuid {

    private static final Pattern TEXT = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}?");

    private ObjectGuid() {
    }

    /** The GUID string of the 16 bytes as AD stores them. */
    public static String format(byte[] bytes) throws BadEntryException {
        if (bytes.length != 16) {
            throw new BadEntryException("objectGUID has " + bytes.length + " bytes instead of 16");
        }
        byte[] ordered = {
                bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]};
        ByteBuffer buffer = ByteBuffer.wrap(ordered);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    /**
     * A GUID already given as text, lower-cased; null for anything else, such as binary bytes JNDI decoded as text
     * because {@code objectGUID} was not listed in {@code java.naming.ldap.attributes.binary}.
     */
    static String parse(String text) {
        if (!TEXT.matcher(text).matches()) {
            return null;
        }
        return text.replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
    }
}
