package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loyalty.accounts.ContactKeys;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.ContactIndexEntry;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hashed contact index follows the account's email and phone: a change removes the old entry. */
class ContactIndexTest {
  private static final Instant AT = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private List<String> index(TestOutputTopic<String, ContactIndexEntry> topic) {
    return topic.readRecordsToList().stream().map(ContactIndexTest::describe).toList();
  }

  private static String describe(TestRecord<String, ContactIndexEntry> record) {
    return record.key() + " -> " + (record.value() == null ? "removed" : record.value().getAccountKey());
  }

  @Test
  void aSecretMakesTheHashesKeyedAndTheSameForEveryWayOfWritingAContact() {
    ContactKeys keyed = new ContactKeys("s3cret");
    ContactKeys other = new ContactKeys("another");
    assertEquals(keyed.phone(Records.ORG, "(617) 555-0100"), keyed.phone(Records.ORG, "+16175550100"));
    assertEquals(keyed.email(Records.ORG, " Ana@Example.com"), keyed.email(Records.ORG, "ana@example.com"));
    assertFalse(keyed.phone(Records.ORG, "+16175550100").equals(new ContactKeys("").phone(Records.ORG, "+16175550100")),
        "an HMAC, not the plain SHA-256 anyone could compute");
    assertFalse(keyed.email(Records.ORG, "ana@example.com").equals(other.email(Records.ORG, "ana@example.com")));
    assertFalse(keyed.email(Records.ORG, "ana@example.com").equals(keyed.email("harbor", "ana@example.com")),
        "organizations never share an entry");
  }

  @Test
  void anEmailOrPhoneChangeMovesTheEntryAndNoKeyHoldsTheContactInClear() {
    TestOutputTopic<String, ContactIndexEntry> topic = harness.driver().createOutputTopic(harness.topics.contactIndex(),
        new StringDeserializer(), io.loyalty.serde.SerdeFactory.singleObject().serde(ContactIndexEntry.class).deserializer());
    harness.program(Records.program("1").build());
    harness.command(Records.command("cmd-1", "c1", AT, Enroll.newBuilder().setEmail("Ana@Example.com").setPhone("+16175550100").build()));
    assertEquals(List.of(), harness.rejections().stream().map(r -> r.value().getReasonCode() + " " + r.value().getMessage()).toList());
    ContactKeys keys = new ContactKeys("");
    String email = keys.email(Records.ORG, "ana@example.com");
    String phone = keys.phone(Records.ORG, "+1 617 555 0100");
    assertEquals(List.of(email + " -> greenleaf:c1", phone + " -> greenleaf:c1"), index(topic));
    assertFalse(email.contains("ana") || phone.contains("6175550100"), email + " " + phone);

    harness.transaction(Records.purchase("t1", "c1", "20.00", AT.plusSeconds(60)).build());
    assertEquals(List.of(), index(topic), "an unchanged contact writes nothing");

    harness.command(Records.command("cmd-2", "c1", AT.plusSeconds(120), UpdateProfile.newBuilder().setEmail("ana.b@example.com").build()));
    assertEquals(List.of(email + " -> removed", keys.email(Records.ORG, "ana.b@example.com") + " -> greenleaf:c1"), index(topic));
    assertNull(keys.phone(Records.ORG, "n/a"));
  }
}
