package org.ldapmailcow.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ldapmailcow.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates an admin mounted where the Python tool read them ({@code LDAP_MAILCOW_PYTHON_TEMPLATES_DIR},
 * {@code /templates} by default), in its {@code string.Template} syntax. The route {@code render-auth-templates}
 * asks {@link #present} for each of the three files the Python tool rendered; a file there is rendered by
 * {@link #render} instead of the FreeMarker template of the same name in {@code LDAP_MAILCOW_TEMPLATES_DIR}.
 */
public class PythonTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(PythonTemplates.class);

    /** The files the Python tool rendered, and how. */
    private static final Map<String, PythonTemplateOutput.Format> FILES = Map.of(
            "dovecot/ldap/passdb.conf", PythonTemplateOutput.Format.DOVECOT,
            "dovecot/extra.conf", PythonTemplateOutput.Format.VERBATIM,
            "sogo/plist_ldap", PythonTemplateOutput.Format.PLIST);

    private final Settings settings;

    public PythonTemplates(Settings settings) {
        this.settings = settings;
    }

    /** Whether {@code file} (relative to the templates dirs) is there in the Python tool's templates dir. */
    public boolean present(String file) {
        Path python = pythonFile(settings, file);
        if (python != null && Files.isDirectory(python)) {
            // what Docker leaves when the host path of a file mount does not exist
            LOG.warn("{} is a directory, not a template: ignored (does the file mounted there exist on the host?)",
                    python);
        }
        return python != null && Files.isRegularFile(python);
    }

    /** Renders {@code file} from the Python tool's templates dir; the result becomes the body. */
    public String render(AuthTemplateModel model, String file) {
        Path source = pythonFile(settings, file);
        String text;
        try {
            text = PythonTemplate.universalNewlines(Files.readString(source, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new AuthConfigException("Cannot render " + source + ": not UTF-8 text");
        } catch (IOException e) {
            throw new AuthConfigException("Cannot render " + source + ": cannot read it (" + e.getClass().getSimpleName()
                    + ")");
        }
        PythonTemplateOutput output = new PythonTemplateOutput();
        String rendered;
        try {
            rendered = output.render(new PythonTemplate(text), FILES.get(file), name -> value(model, name));
        } catch (PythonTemplate.SyntaxError e) {
            throw new AuthConfigException(model.redact("Cannot render " + source + ", line " + e.line
                    + (e.column > 0 ? ", column " + e.column : "") + ": " + e.getMessage()));
        }
        LOG.warn("{} is a template in the Python tool's syntax ($name placeholders) and is used instead of {}: it is "
                        + "rendered as the Python tool rendered it. To move to the new syntax, copy ldap-mailcow's "
                        + "templates/{} (FreeMarker), make your changes there, mount it as {} and remove {}; "
                        + "see docs/auth-config.md",
                source, settings.templatesDir.resolve(file), file, settings.templatesDir.resolve(file), source);
        for (PythonTemplateOutput.Escaped e : output.escaped()) {
            LOG.warn("{} line {}: the value of ${} is escaped; the Python tool wrote it as it is, which {} could not "
                    + "read", source, e.line(), e.name(), file.startsWith("sogo") ? "SOGo" : "Dovecot");
        }
        return rendered;
    }

    /**
     * The value of a placeholder: the names the Python tool filled in (in either of its templates), null for any
     * other name.
     */
    static String value(AuthTemplateModel model, String name) {
        return switch (name) {
            case "ldap_uri" -> model.getLdapUri();
            case "ldap_gc_uri" -> model.getLdapGcUri();
            case "ldap_domain" -> model.getLdapDomain();
            case "ldap_base_dn" -> model.getBaseDn();
            case "ldap_bind_dn" -> model.getBindDn();
            case "ldap_bind_dn_password" -> model.getBindPassword();
            case "sogo_ldap_filter" -> model.getSogoFilter();
            default -> null;
        };
    }

    /**
     * The file in the Python tool's templates dir; null when the dir is the templates dir itself (then its files
     * are FreeMarker templates) or the file is not one the Python tool rendered.
     */
    private static Path pythonFile(Settings settings, String file) {
        if (!FILES.containsKey(file) || settings.pythonTemplatesDir == null) {
            return null;
        }
        Path dir = settings.pythonTemplatesDir.toAbsolutePath().normalize();
        if (dir.equals(settings.templatesDir.toAbsolutePath().normalize())) {
            return null;
        }
        return dir.resolve(file);
    }
}
