package org.openabis.server.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --log-format}: TEXT keeps logback.xml's lines; JSON replaces the configuration with
 * logback-json.xml beside this class — one JSON object per line on stderr (Logback's own JsonEncoder), the
 * request log on, the request's identifiers in each line's {@code mdc}.
 */
public enum LogFormat {
    TEXT,
    JSON;

    static final String JSON_CONFIGURATION = "org/openabis/server/ops/logback-json.xml";

    /** Reconfigures Logback for this format; TEXT leaves the configuration it started with. */
    public void apply() {
        if (this == JSON)
            configure(LogFormat.class.getClassLoader().getResource(JSON_CONFIGURATION));
    }

    static void configure(URL configuration) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + configuration, e);
        }
    }
}
