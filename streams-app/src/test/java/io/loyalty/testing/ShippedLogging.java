package io.loyalty.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** Logs through the shipped logback.xml in a context of its own and returns the lines it printed (stderr). */
public final class ShippedLogging {
  private ShippedLogging() {}

  public static List<String> lines(Consumer<LoggerContext> logging) throws Exception {
    return lines("/logback.xml", logging);
  }

  /** The same through another bundled configuration (logback-json.xml). */
  public static List<String> lines(String configuration, Consumer<LoggerContext> logging) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(ShippedLogging.class.getResource(configuration));
      logging.accept(context);
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
