package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.testing.ShippedLogging;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactedLogsTest {
  @Test
  void theShippedConfigurationMasksEmailsAndPhonesInMessagesAndStackTraces() throws Exception {
    List<String> lines = ShippedLogging.lines(context -> {
      var log = context.getLogger("io.loyalty.test");
      log.info("customer ana.lopez+vip@mail.example.co.uk at +13035550100, offset 1234567890 on 2026-03-02");
      log.error("decode failed", new IllegalStateException("datum {\"phone\": \"(303) 555-0100\", \"email\": \"a@b.io\"}"));
    });
    assertEquals("customer <email> at <phone>, offset 1234567890 on 2026-03-02", lines.get(0).substring(lines.get(0).indexOf(" - ") + 3));
    assertEquals("java.lang.IllegalStateException: datum {\"phone\": \"<phone>\", \"email\": \"<email>\"}", lines.get(2));
  }
}
