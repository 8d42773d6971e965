package io.loyalty.runtime;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Rejections;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.RegistryUnavailableException;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.RefusedWrites;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net behind the topology's own rejections: a record that fails unexpectedly (a bug, bytes that do
 * not decode) resumes processing and leaves a rejection record on the rejections topic, written through Kafka
 * Streams' dead-letter-queue mechanism (KIP-1034) so that it commits with the rest of the transaction. A write the
 * broker refuses is the exception: see {@link #handleError(ErrorHandlerContext, ProducerRecord, Exception)}.
 * The log line names the source record and the exception, never its payload.
 */
public final class RejectionDeadLetterHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
  static final String REJECTIONS_TOPIC_CONFIG = "loyalty.rejections.topic";
  private static final Logger LOG = LoggerFactory.getLogger(RejectionDeadLetterHandler.class);

  private String rejectionsTopic;
  private String applicationId;
  private AvroCodec<Rejection> codec;

  @Override
  public void configure(Map<String, ?> configs) {
    AppConfig config = AppConfig.fromStreamsConfigs(configs);
    rejectionsTopic = String.valueOf(configs.get(REJECTIONS_TOPIC_CONFIG));
    applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    codec = SerdeFactory.of(config.registry()).codec(Rejection.class);
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
      ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return DeserializationExceptionHandler.Response.resume(
        deadLetter(context, RejectionReason.UNDECODABLE, exception));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    if (exception instanceof KafkaException) {
      // Kafka's own failure, such as a send after the broker refused an earlier write of the transaction: the
      // transaction is lost anyway, and its inputs are read again from the last commit.
      LOG.error("Kafka failed while processing {}-{}@{}; retrying from the last commit: {}", context.topic(), context.partition(),
          context.offset(), exception.toString());
      return ProcessingExceptionHandler.Response.fail();
    }
    if (RegistryUnavailableException.causedBy(exception)) {
      // An outage, not a bad record: the thread stops and is replaced, and the record is read again from the
      // last commit once the registry answers.
      LOG.error("schema registry failure on {}-{}@{}; retrying from the last commit", context.topic(), context.partition(),
          context.offset(), exception);
      return ProcessingExceptionHandler.Response.fail();
    }
    return ProcessingExceptionHandler.Response.resume(deadLetter(context, RejectionReason.PROCESSING_ERROR, exception));
  }

  /**
   * A record the broker refused after its input was processed. Under exactly-once the refusal has aborted the
   * transaction whatever the answer, so nothing is written here: the thread stops, its replacement reads the inputs
   * again from the last commit, and {@link RefusedWrites} makes sure the input that wrote the record is rejected
   * whole then (after one more retry if it cannot be told yet), so its partition moves on.
   */
  @Override
  public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
      ProducerRecord<byte[], byte[]> record, Exception exception) {
    RefusedWrites.Outcome outcome = RefusedWrites.refused(applicationId, context.taskId(), record.topic(), record.key(), record.value(),
        exception);
    LOG.error("the broker refused a record of {} ({} bytes) in task {}: {}; {}", record.topic(),
        (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length), context.taskId(),
        exception.toString(), switch (outcome) {
          case INPUT_IDENTIFIED -> "the input that wrote it is rejected when the task reads it again";
          case LIMIT_LEARNED -> "an input that writes a record this large there is rejected from now on, on the retry too";
          case TASK_SUSPECT -> "the task notes what its inputs write, to tell which input it is at the next refusal";
          case NOT_IDENTIFIED -> "no input of the task is known to have written it: it will be retried";
          case FOLLOWS_A_REFUSAL -> "it follows from an earlier refusal of the same transaction";
        });
    return ProductionExceptionHandler.Response.fail();
  }

  @Override
  public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
      @SuppressWarnings("rawtypes") ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    return ProductionExceptionHandler.Response.resume(deadLetterUnlessRejection(context, record.topic(), exception));
  }

  /** A rejection that cannot be serialized is only logged: writing another one would loop. */
  private List<ProducerRecord<byte[], byte[]>> deadLetterUnlessRejection(ErrorHandlerContext context, String topic,
      Exception exception) {
    if (rejectionsTopic.equals(topic)) {
      LOG.error("cannot write a rejection for {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
          exception.toString());
      return List.of();
    }
    return deadLetter(context, RejectionReason.PRODUCTION_ERROR, exception);
  }

  List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, RejectionReason reason,
      Exception exception) {
    String source = context.topic() + "-" + context.partition() + "@" + context.offset();
    LOG.error("{} on {} in {}", reason, source, context.processorNodeId(), exception);
    byte[] rawKey = context.sourceRawKey();
    byte[] rawValue = context.sourceRawValue();
    // The exception stays in the log: its message may quote a field's value, and its class means nothing to a user.
    Rejection rejection = Rejections.of(context.topic() == null ? "" : context.topic(), context.partition(),
        context.offset(), context.timestamp(), rawKey, rawValue, reason, "the engine failed in " + context.processorNodeId()
            + (reason == RejectionReason.PRODUCTION_ERROR ? " while writing an output of it" : " while processing it")
            + " (the cause is in the engine's log under " + source + ")", null, null);
    return List.of(new ProducerRecord<>(rejectionsTopic, null, rawKey, codec.encode(rejectionsTopic, rejection)));
  }
}
