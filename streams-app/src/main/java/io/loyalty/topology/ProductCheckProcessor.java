package io.loyalty.topology;

import io.loyalty.avro.Product;
import io.loyalty.avro.Rejection;
import io.loyalty.catalog.ProductChecks;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Rejects every catalog record the products store refuses (bytes that do not decode, a key that is not the
 * product's, a field out of range), so the operator sees it on the rejections topic and in the metric {@code
 * invalid-catalog-records-total}. It applies the same checks as {@link ProductLoader}. A tombstone removes a
 * product: nothing to check.
 */
final class ProductCheckProcessor extends RejectingProcessor<byte[], byte[]> {
  private final AvroCodec<Product> codec;
  private EngineCounter invalidRecords;

  ProductCheckProcessor(AvroCodec<Product> codec, Output<Rejection> rejections) {
    super(rejections);
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    invalidRecords = new EngineCounter(context.metrics(), "invalid-catalog-records",
        "catalog records refused: undecodable, keyed wrongly or out of range; the product is left out");
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    try {
      Product product = codec.decode(record.value());
      ProductChecks.problem(key, product).ifPresent(violation -> {
        invalidRecords.increment();
        reject(record, record.key(), record.value(), violation.reason(), violation.message(), null, product.getOrganizationId());
      });
    } catch (DecodeException e) {
      invalidRecords.increment();
      reject(record, record.key(), record.value(), e.reason(), "catalog record keyed '" + key + "' left out: " + e.getMessage(),
          null, null);
    }
  }
}
