package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactedLogsTest {
  @Test
  void theShippedConfigurationMasksEmailsAndPhonesInMessagesAndStackTraces() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      Logger log = context.getLogger("io.loyalty.test");
      log.info("customer ana.lopez+vip@mail.example.co.uk at +13035550100, offset 1234567890 on 2026-03-02");
      log.error("decode failed", new IllegalStateException("datum {\"phone\": \"(303) 555-0100\", \"email\": \"a@b.io\"}"));
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals("customer <email> at <phone>, offset 1234567890 on 2026-03-02", lines[0].substring(lines[0].indexOf(" - ") + 3));
    assertEquals("java.lang.IllegalStateException: datum {\"phone\": \"<phone>\", \"email\": \"<email>\"}", lines[2]);
  }
}
