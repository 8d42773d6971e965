package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.WriteLimits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

/** How a refused write is traced to the input that wrote it, across the retry of its task. */
class RefusedWritesTest {
  private static final byte[] KEY = "greenleaf:c1".getBytes(StandardCharsets.UTF_8);

  private static MockProcessorContext<Object, Object> task(String applicationId, long offset) {
    Properties properties = new Properties();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(properties, new TaskId(3, 0), null);
    context.setRecordMetadata("loyalty.commands", 0, offset);
    return context;
  }

  private static RefusedWrites.TaskWrites started(MockProcessorContext<Object, Object> context) {
    RefusedWrites.TaskWrites writes = RefusedWrites.of(context);
    writes.started();
    return writes;
  }

  @Test
  void aRefusalOfAnotherKindMakesTheTaskSuspectAndTheNextOneNamesTheInput() {
    String app = "refused-writes-test-" + System.nanoTime();
    MockProcessorContext<Object, Object> first = task(app, 7);
    assertFalse(started(first).noting(), "nothing is noted while no write was refused");
    byte[] result = {1, 2, 3};
    assertEquals(RefusedWrites.Outcome.TASK_SUSPECT,
        RefusedWrites.refused(app, new TaskId(3, 0), "loyalty.command-results", KEY, result, new InvalidTimestampException("old")));

    // The task reads its inputs again: each notes what it writes.
    MockProcessorContext<Object, Object> retry = task(app, 6);
    RefusedWrites.TaskWrites journal = started(retry);
    assertTrue(journal.noting());
    journal.wrote("", "loyalty.command-results", "greenleaf:c0", new byte[] {9});
    journal.inputDone();
    retry.setRecordMetadata("loyalty.commands", 0, 7);
    journal.wrote("", "loyalty.command-results", "greenleaf:c1", result);
    journal.inputDone();
    assertEquals(RefusedWrites.Outcome.INPUT_IDENTIFIED,
        RefusedWrites.refused(app, new TaskId(3, 0), "loyalty.command-results", KEY, result, new InvalidTimestampException("old")));

    assertEquals(Optional.of("the broker refused what it wrote (InvalidTimestampException on loyalty.command-results); nothing of it "
        + "was applied"), RefusedWrites.of(task(app, 7)).poisoned(""));
    assertEquals(Optional.empty(), RefusedWrites.of(task(app, 6)).poisoned(""), "the input before it is applied again");
    assertFalse(started(task(app, 8)).noting(), "once the input is known the task notes nothing");
  }

  @Test
  void onlyTheFirstRefusalOfATransactionTellsAnything() {
    String app = "refused-writes-test-" + System.nanoTime();
    started(task(app, 1));
    assertEquals(RefusedWrites.Outcome.LIMIT_LEARNED, RefusedWrites.refused(app, new TaskId(3, 0), "loyalty.command-results", KEY,
        new byte[2_000], new RecordTooLargeException("too large")));
    // The producer then fails every other write of the transaction with the same exception.
    assertEquals(RefusedWrites.Outcome.FOLLOWS_A_REFUSAL, RefusedWrites.refused(app, new TaskId(3, 0), "loyalty-transactions-store-changelog",
        KEY, new byte[100], new RecordTooLargeException("too large")));
    assertEquals(Optional.empty(), RefusedWrites.learnedRecordBytes(app, "loyalty-transactions-store-changelog"));
    assertEquals(Optional.of(KEY.length + 1_999), RefusedWrites.learnedRecordBytes(app, "loyalty.command-results"));
  }

  @Test
  void aRecordTooLargeTeachesTheBudgetItsTopicsLimit() {
    String app = "refused-writes-test-" + System.nanoTime();
    assertEquals(RefusedWrites.Outcome.LIMIT_LEARNED, RefusedWrites.refused(app, new TaskId(3, 0), "loyalty.profiles", KEY,
        new byte[1_000], new RecordTooLargeException("too large")));
    assertEquals(Optional.of(KEY.length + 999), RefusedWrites.learnedRecordBytes(app, "loyalty.profiles"));
    WriteBudget.Tally tally = WriteLimits.configured(AppConfig.defaults()).tally(app);
    tally.add("loyalty.profiles", "topic loyalty.profiles", KEY.length + 999);
    WriteBudget.Exceeded exceeded = org.junit.jupiter.api.Assertions.assertThrows(WriteBudget.Exceeded.class,
        () -> tally.add("loyalty.profiles", "topic loyalty.profiles", KEY.length + 1_000));
    assertEquals("it would write a record of 1012 bytes to topic loyalty.profiles, and the broker refused a record of 1012 bytes of "
        + "loyalty.profiles (its max.message.bytes was lowered since the engine started)", exceeded.getMessage());
    assertEquals(Optional.empty(), RefusedWrites.learnedRecordBytes("another-application", "loyalty.profiles"));
  }
}
