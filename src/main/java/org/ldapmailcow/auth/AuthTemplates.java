package org.ldapmailcow.auth;

import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.core.Environment;
import java.io.Writer;
import freemarker.template.TemplateModelException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.ResourceEndpoint;

/** The FreeMarker set-up of the auth templates, and the translation of a template error into a start-up failure. */
public final class AuthTemplates {

    private static final int MAX_DETAIL = 240;
    private static final String FAILED_AT = "Failed at: ";

    private AuthTemplates() {
    }

    /**
     * The configuration the route hands to each {@code freemarker:} endpoint: strict (a missing value is an
     * error, never an empty string), an error rethrown as an {@link UnquotedTemplateException} instead of being
     * printed into the output or logged by FreeMarker, no {@code ?new}/{@code ?api}, and {@link Escape} shared as
     * {@code esc}.
     */
    public static Configuration configuration() throws TemplateModelException {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(UnquotedTemplateException::rethrow);
        cfg.setLogTemplateExceptions(false);
        cfg.setAttemptExceptionReporter((exception, environment) -> { });
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
        cfg.setSharedVariable("esc", new Escape());
        return cfg;
    }

    /**
     * Called where rendering failed: throws an {@link AuthConfigException} whose one-line message names the
     * template file and the line; FreeMarker's description is cut to what cannot quote a value.
     */
    public static void failed(Exchange exchange) {
        Exception caught = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Exception.class);
        String file = templateFile(exchange);
        PendingFiles pending = exchange.getVariable(PendingFiles.VARIABLE, PendingFiles.class);
        exchange.removeVariable(PendingFiles.VARIABLE);
        String message = "Cannot render " + file + describe(caught);
        throw new AuthConfigException(pending == null ? message : pending.model().redact(message));
    }

    /**
     * Where and why rendering failed. A runtime error comes as an {@link UnquotedTemplateException}; a parse
     * error's description quotes template text only.
     */
    private static String describe(Exception e) {
        if (e instanceof ParseException pe) {
            return location(pe.getLineNumber(), pe.getColumnNumber()) + ": " + oneLine(pe.getEditorMessage());
        }
        if (e instanceof TemplateException te) {
            String detail = te instanceof UnquotedTemplateException
                    ? firstLine(te.getMessageWithoutStackTop())
                    : beforeColon(firstLine(te.getMessageWithoutStackTop()));
            Integer line = te.getLineNumber();
            Integer column = te.getColumnNumber();
            return (line == null ? "" : location(line, column == null ? 0 : column)) + ": " + oneLine(detail);
        }
        if (e instanceof FileNotFoundException || e instanceof NoSuchFileException) {
            return ": template file not found";
        }
        return e == null ? "" : ": " + e.getClass().getSimpleName();
    }

    private static String location(int line, int column) {
        return ", line " + line + (column > 0 ? ", column " + column : "");
    }

    /** The template's path, from the {@code freemarker:file:...} endpoint the failed exchange was last sent to. */
    private static String templateFile(Exchange exchange) {
        String uri = exchange.getProperty(ExchangePropertyKey.TO_ENDPOINT, String.class);
        if (uri == null) {
            return "an auth template";
        }
        String resource = exchange.getContext().getEndpoints().stream()
                .filter(e -> e instanceof ResourceEndpoint && e.getEndpointUri().equals(uri))
                .map(e -> ((ResourceEndpoint) e).getResourceUri())
                .findFirst().orElse(uri);
        return resource.startsWith("file:") ? resource.substring("file:".length()) : resource;
    }

    private static String beforeColon(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end);
    }

    private static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * A template error whose description cannot hold a value: FreeMarker's own messages may quote the value they
     * failed on (escaped, so no blanking out finds it), and Camel logs the message of a failed exchange at DEBUG.
     * The description keeps the wording before FreeMarker's first colon and the template text that failed; the
     * original exception is dropped, not chained.
     */
    public static final class UnquotedTemplateException extends TemplateException {

        private final Integer line;
        private final Integer column;

        private UnquotedTemplateException(TemplateException original, Environment env) {
            super(describe(original), env);
            line = original.getLineNumber();
            column = original.getColumnNumber();
        }

        /** The template exception handler: FreeMarker may pass an error on to it once per enclosing element. */
        static void rethrow(TemplateException te, Environment env, Writer out) throws TemplateException {
            throw te instanceof UnquotedTemplateException ? te : new UnquotedTemplateException(te, env);
        }

        @Override
        public Integer getLineNumber() {
            return line;
        }

        @Override
        public Integer getColumnNumber() {
            return column;
        }

        private static String describe(TemplateException te) {
            if (te instanceof InvalidReferenceException && te.getBlamedExpressionString() != null) {
                return "no value for " + te.getBlamedExpressionString();
            }
            IllegalArgumentException refused = refused(te);
            String detail = refused != null
                    ? refused.getMessage()
                    : beforeColon(firstLine(te.getMessageWithoutStackTop()));
            String failedAt = failedAt(te);
            return failedAt == null ? detail : detail + ", in " + failedAt;
        }

        /** The reason {@link Escape} gave for refusing a value, if that is what failed. */
        private static IllegalArgumentException refused(TemplateException te) {
            for (Throwable t = te.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof IllegalArgumentException iae) {
                    return iae;
                }
            }
            return null;
        }

        /** The failing instruction as written in the template, from FreeMarker's "Failed at:" stack line. */
        private static String failedAt(TemplateException te) {
            String stack = te.getFTLInstructionStack();
            int start = stack == null ? -1 : stack.indexOf(FAILED_AT);
            if (start < 0) {
                return null;
            }
            String rest = stack.substring(start + FAILED_AT.length());
            int end = rest.indexOf("  [in template");
            return firstLine(end < 0 ? rest : rest.substring(0, end));
        }
    }
}
