package io.loyalty.runtime;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * log.format: {@code text} (the default, logback.xml) or {@code json} (logback-json.xml: one object per line for
 * a log pipeline). Logback starts before the settings are read, so json reconfigures it once they are.
 */
public final class LogFormat {
  public static final String JSON_CONFIGURATION = "/logback-json.xml";

  private LogFormat() {}

  public static void apply(AppConfig config) {
    String format = config.get("log.format");
    switch (format) {
      case "text" -> { }
      case "json" -> configure(JSON_CONFIGURATION);
      default -> throw new IllegalArgumentException("log.format is '" + format + "'; it takes text or json");
    }
  }

  private static void configure(String resource) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another slf4j binding (a test's): it keeps its own configuration
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(LogFormat.class.getResource(resource));
    } catch (JoranException e) {
      throw new IllegalStateException("the bundled " + resource + " does not load", e);
    }
  }
}
