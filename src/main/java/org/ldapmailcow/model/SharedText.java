package org.ldapmailcow.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of each text the directory, the state and mailcow's listings have in common (addresses, DNs, names,
 * time stamps, kinds): a full cycle holds all three views at once, and their copies of the same values were most
 * of its memory (about 60 MB at 50,000 users). The copies are kept on the heap for one cycle and forgotten at its
 * end ({@link #forget()}); the JVM's own string table ({@code String.intern}) would hold them in native memory,
 * which no heap limit bounds.
 */
public final class SharedText {

    private static volatile Map<String, String> texts = new ConcurrentHashMap<>();

    private SharedText() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        String shared = texts.putIfAbsent(text, text);
        return shared == null ? text : shared;
    }

    public static String of(Object value) {
        return value == null ? null : of(value.toString());
    }

    /** Lets go of every copy (and of the table); the views still in use keep theirs. */
    public static void forget() {
        texts = new ConcurrentHashMap<>();
    }
}
