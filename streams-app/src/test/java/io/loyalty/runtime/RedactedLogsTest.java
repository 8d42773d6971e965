package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  @Test
  void theJsonFormatMasksThemToo() throws Exception {
    List<String> lines = ShippedLogging.lines(LogFormat.JSON_CONFIGURATION, context -> {
      var log = context.getLogger("io.loyalty.test");
      log.info("customer {} at {}", "ana.lopez+vip@mail.example.co.uk", "+13035550100");
      log.error("decode failed", new IllegalStateException("datum {\"phone\": \"(303) 555-0100\", \"email\": \"a@b.io\"}"));
    });
    assertEquals(2, lines.size(), lines.toString());
    JsonNode info = new ObjectMapper().readTree(lines.get(0));
    assertEquals("INFO", info.get("level").asText());
    assertEquals("io.loyalty.test", info.get("loggerName").asText());
    assertEquals("customer <email> at <phone>", info.get("formattedMessage").asText());
    JsonNode error = new ObjectMapper().readTree(lines.get(1));
    assertTrue(error.get("formattedMessage").asText().startsWith(
        "decode failed\njava.lang.IllegalStateException: datum {\"phone\": \"<phone>\", \"email\": \"<email>\"}"), lines.get(1));
    // The phone's digits, not "555" alone: the epoch-millisecond timestamp of a line may contain 555.
    for (String line : lines) {
      assertFalse(line.contains("5550100") || line.contains("555-0100") || line.contains("@"), line);
    }
  }
}
