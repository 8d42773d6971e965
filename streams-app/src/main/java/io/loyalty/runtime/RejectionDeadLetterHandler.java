package io.loyalty.runtime;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Rejections;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.RegistryUnavailableException;
import io.loyalty.serde.SerdeFactory;
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
 * The safety net behind the topology's own rejections: a record that fails unexpectedly (a bug, a broker
 * refusing a write) resumes processing and leaves a rejection record on the rejections topic, written through
 * Kafka Streams' dead-letter-queue mechanism (KIP-1034) so that it commits with the rest of the transaction.
 * The log line names the source record and the exception, never its payload.
 */
public final class RejectionDeadLetterHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
  static final String REJECTIONS_TOPIC_CONFIG = "loyalty.rejections.topic";
  private static final Logger LOG = LoggerFactory.getLogger(RejectionDeadLetterHandler.class);

  private String rejectionsTopic;
  private AvroCodec<Rejection> codec;

  @Override
  public void configure(Map<String, ?> configs) {
    AppConfig config = AppConfig.fromStreamsConfigs(configs);
    rejectionsTopic = String.valueOf(configs.get(REJECTIONS_TOPIC_CONFIG));
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
    if (RegistryUnavailableException.causedBy(exception)) {
      // An outage, not a bad record: the thread stops and is replaced, and the record is read again from the
      // last commit once the registry answers.
      LOG.error("schema registry failure on {}-{}@{}; retrying from the last commit", context.topic(), context.partition(),
          context.offset(), exception);
      return ProcessingExceptionHandler.Response.fail();
    }
    return ProcessingExceptionHandler.Response.resume(deadLetter(context, RejectionReason.PROCESSING_ERROR, exception));
  }

  @Override
  public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
      ProducerRecord<byte[], byte[]> record, Exception exception) {
    return ProductionExceptionHandler.Response.resume(deadLetterUnlessRejection(context, record.topic(), exception));
  }

  @Override
  public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
      @SuppressWarnings("rawtypes") ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    return ProductionExceptionHandler.Response.resume(deadLetterUnlessRejection(context, record.topic(), exception));
  }

  /** A rejection that cannot be written is only logged: writing another one would loop. */
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
