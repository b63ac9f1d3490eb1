package org.ldapmailcow.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one rendering run has produced so far, kept in the exchange variable authConfigPending until every template has rendered, so
 * that a failing template leaves all files as they were. Its text form names files only, never their content.
 */
public final class PendingFiles {

    static final String VARIABLE = "authConfigPending";

    /** One rendered file: its path below the conf dir, its new content, the container that reads it. */
    record Rendered(String file, String content, String container, FileAccess access) {
        @Override
        public String toString() {
            return file;
        }
    }

    private final AuthTemplateModel model;
    private final Path confDir;
    private final boolean dryRun;
    private final List<Rendered> rendered = new ArrayList<>();

    PendingFiles(AuthTemplateModel model, Path confDir, boolean dryRun) {
        this.model = model;
        this.confDir = confDir;
        this.dryRun = dryRun;
    }

    public AuthTemplateModel model() {
        return model;
    }

    Path confDir() {
        return confDir;
    }

    boolean dryRun() {
        return dryRun;
    }

    void add(Rendered file) {
        rendered.add(file);
    }

    List<Rendered> rendered() {
        return List.copyOf(rendered);
    }

    @Override
    public String toString() {
        return "PendingFiles" + rendered;
    }
}
