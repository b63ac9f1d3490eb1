package org.ldapmailcow.auth;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line down to a level while it is open; the usual appenders get none. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previousLevel;
    private final Map<String, Appender> previousAppenders;

    private LogCapture(Level level) {
        super("auth-config-test-capture", null, null, true, Property.EMPTY_ARRAY);
        LoggerConfig root = config().getRootLogger();
        previousLevel = root.getLevel();
        previousAppenders = Map.copyOf(root.getAppenders());
        previousAppenders.keySet().forEach(root::removeAppender);
        start();
        root.addAppender(this, Level.ALL, null);
        root.setLevel(level);
        context().updateLoggers();
    }

    public static LogCapture open(Level level) {
        return new LogCapture(level);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder()
                .append(event.getLevel()).append(' ')
                .append(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(' ').append(trace);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The messages of one level from one logger. */
    List<String> lines(Level level, String logger) {
        String prefix = level + " " + logger + " ";
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    List<String> lines(Level level, Class<?> logger) {
        return lines(level, logger.getName());
    }

    void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        LoggerConfig root = config().getRootLogger();
        root.removeAppender(getName());
        previousAppenders.values().forEach(appender -> root.addAppender(appender, null, null));
        root.setLevel(previousLevel);
        context().updateLoggers();
        stop();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    private static Configuration config() {
        return context().getConfiguration();
    }
}
