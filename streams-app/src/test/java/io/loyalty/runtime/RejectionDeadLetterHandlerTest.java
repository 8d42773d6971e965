package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.serde.RegistryUnavailableException;
import io.loyalty.serde.SerdeFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class RejectionDeadLetterHandlerTest {
  private static final byte[] KEY = "greenleaf:c1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {(byte) 0xC3, 0x01, 9};

  private final RejectionDeadLetterHandler handler = new RejectionDeadLetterHandler();

  RejectionDeadLetterHandlerTest() {
    Map<String, Object> configs = new java.util.HashMap<>();
    StreamsSettings.of(AppConfig.defaults()).forEach((k, v) -> configs.put((String) k, v));
    handler.configure(configs);
  }

  private static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      public String topic() { return "pos.transactions"; }
      public int partition() { return 4; }
      public long offset() { return 77; }
      public Headers headers() { return new RecordHeaders(); }
      public String processorNodeId() { return "accounts"; }
      public TaskId taskId() { return new TaskId(0, 4); }
      public long timestamp() { return 1_700_000_000_000L; }
      public byte[] sourceRawKey() { return KEY; }
      public byte[] sourceRawValue() { return VALUE; }
    };
  }

  @Test
  void aProcessingFailureResumesAndLeavesARejectionWithTheSourceRecord() {
    ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("k", "v", 0L),
        new IllegalStateException("boom near +13035550100"));
    assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
    List<ProducerRecord<byte[], byte[]>> records = response.deadLetterQueueRecords();
    assertEquals(1, records.size());
    assertEquals("loyalty.rejections", records.get(0).topic());
    Rejection rejection = SerdeFactory.singleObject().codec(Rejection.class).decode(records.get(0).value());
    assertEquals(RejectionReason.PROCESSING_ERROR, rejection.getReasonCode());
    assertEquals("the engine failed in accounts while processing it (the cause is in the engine's log under "
        + "pos.transactions-4@77)", rejection.getMessage(), "no exception class, no quoted value");
    assertEquals("pos.transactions", rejection.getSourceTopic());
    assertEquals(4, rejection.getSourcePartition());
    assertEquals(77L, rejection.getSourceOffset());
    assertEquals(java.nio.ByteBuffer.wrap(VALUE), rejection.getValue());
    assertEquals("greenleaf:c1", new String(records.get(0).key(), StandardCharsets.UTF_8));
  }

  @Test
  void aSchemaRegistryOutageStopsTheThreadSoTheRecordIsRetriedNotRejected() {
    ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("k", "v", 0L),
        new IllegalStateException("encode failed", new RegistryUnavailableException("schema registry unreachable",
            new java.io.IOException("connection refused"))));
    assertEquals(ProcessingExceptionHandler.Result.FAIL, response.result());
    assertEquals(List.of(), response.deadLetterQueueRecords());
  }

  /**
   * Under exactly-once a refused write has lost the transaction whatever the answer: nothing is written here, the
   * thread stops, and the input is rejected when its task reads it again (RefusedWritesTest, PoisonInputIT).
   */
  @Test
  void aWriteTheBrokerRefusesFailsTheTransactionAndWritesNothing() {
    for (String topic : List.of("loyalty.ledger", "loyalty.rejections")) {
      ProductionExceptionHandler.Response response = handler.handleError(context(),
          new ProducerRecord<>(topic, KEY, VALUE), new InvalidTimestampException("timestamp out of range"));
      assertEquals(ProductionExceptionHandler.Result.FAIL, response.result(), topic);
      assertEquals(List.of(), response.deadLetterQueueRecords(), topic);
    }
  }

  @Test
  void aFailureOfKafkasWhileProcessingIsRetriedNotRejected() {
    ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("k", "v", 0L),
        new StreamsException("Error encountered trying to send record to topic loyalty.ledger"));
    assertEquals(ProcessingExceptionHandler.Result.FAIL, response.result());
    assertEquals(List.of(), response.deadLetterQueueRecords());
  }
}
