package io.loyalty.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.JsonRecords;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.contract.Contract;
import io.loyalty.testing.SchemaRegistryServer;
import io.loyalty.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

  static Stream<Schema> everyRecordType() {
    return Contract.all().stream();
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> AvroCodec<T> codec(SerdeFactory factory, Schema schema) {
    return factory.codec((Class<T>) SpecificData.get().getClass(schema));
  }

  @ParameterizedTest
  @MethodSource("everyRecordType")
  void singleObjectRoundTrip(Schema schema) {
    SpecificRecord record = Samples.record(schema);
    AvroCodec<SpecificRecord> codec = codec(SerdeFactory.singleObject(), schema);
    byte[] bytes = codec.encode("any-topic", record);
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    assertSame(record, codec.decode(bytes));
  }

  /**
   * Equal field by field, compared through the JSON form: Avro's generated equals() fails on arrays whose
   * items hold a decimal inside a union (GenericData.Array compares without logical-type conversions).
   */
  private static void assertSame(SpecificRecord expected, SpecificRecord actual) {
    assertEquals(JsonRecords.toJson(expected), JsonRecords.toJson(actual));
  }

  @ParameterizedTest
  @MethodSource("everyRecordType")
  void registryFramedRoundTripAndReadableWithoutTheWritersCache(Schema schema) throws Exception {
    String url = SchemaRegistryServer.shared().url();
    String topic = SchemaRegistryServer.uniqueTopic("t");
    SpecificRecord record = Samples.record(schema);
    byte[] bytes = codec(SerdeFactory.withRegistry(RegistrySettings.of(url)), schema).encode(topic, record);
    assertEquals(0, bytes[0]);
    assertEquals(new SchemaRegistryClient(RegistrySettings.of(url)).lookup(topic + "-value", schema), ByteBuffer.wrap(bytes, 1, 4).getInt());
    AvroCodec<SpecificRecord> reader = codec(SerdeFactory.withRegistry(RegistrySettings.of(url)), schema);
    assertSame(record, reader.decode(bytes));
  }

  @Test
  void everyReaderAcceptsBothFormats() throws Exception {
    TransactionEvent event = Samples.record(TransactionEvent.getClassSchema());
    AvroCodec<TransactionEvent> framed = SerdeFactory.withRegistry(RegistrySettings.of(SchemaRegistryServer.shared().url()))
        .codec(TransactionEvent.class);
    AvroCodec<TransactionEvent> single = SerdeFactory.singleObject().codec(TransactionEvent.class);
    String topic = SchemaRegistryServer.uniqueTopic("pos.transactions");
    assertEquals(event, framed.decode(single.encode(topic, event)));
    assertEquals(event, framed.decode(framed.encode(topic, event)));
  }

  @Test
  void aRecordWrittenWithAnOlderSchemaIsReadWithTheCurrentOne() throws Exception {
    Schema current = TransactionEvent.getClassSchema();
    List<Schema.Field> olderFields = current.getFields().stream()
        .filter(field -> !List.of("source", "originalTransactionId", "currency").contains(field.name()))
        .map(field -> new Schema.Field(field, field.schema()))
        .toList();
    Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, olderFields);
    TransactionEvent sample = Samples.record(current);
    GenericRecord old = new GenericData.Record(older);
    for (Schema.Field field : olderFields) {
      old.put(field.name(), GenericData.get().deepCopy(current.getField(field.name()).schema(), rawValue(sample, field.name())));
    }
    // Another producer registered the older schema and wrote with its id.
    SchemaRegistryServer registry = SchemaRegistryServer.shared();
    int olderId = registry.register(SchemaRegistryServer.uniqueTopic("pos.transactions") + "-value", older.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(olderId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older, rawModel()).write(old, encoder);
    encoder.flush();

    TransactionEvent read = SerdeFactory.withRegistry(RegistrySettings.of(registry.url())).codec(TransactionEvent.class)
        .decode(out.toByteArray());
    assertEquals("USD", read.getCurrency(), "a field the writer did not have takes its default");
    assertEquals(null, read.getSource());
    assertEquals(sample.getLines(), read.getLines());
    assertEquals(sample.getSubtotal(), read.getSubtotal());
    assertEquals(sample.getOccurredAt(), read.getOccurredAt());
  }

  /** The sample's field as raw Avro data (decimals as bytes, instants as longs) via a specific-to-generic copy. */
  private static Object rawValue(TransactionEvent sample, String field) {
    byte[] bytes = SerdeFactory.singleObject().codec(TransactionEvent.class).encode("t", sample);
    GenericRecord generic = readGeneric(bytes);
    return generic.get(field);
  }

  private static GenericRecord readGeneric(byte[] singleObject) {
    try {
      Schema schema = TransactionEvent.getClassSchema();
      return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(schema, schema, rawModel())
          .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(singleObject, 10, singleObject.length - 10, null));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static GenericData rawModel() {
    return new GenericData();
  }

  @Test
  void garbageBytesFailNamingTheProblem() {
    AvroCodec<TransactionEvent> codec = SerdeFactory.singleObject().codec(TransactionEvent.class);
    DecodeException unknownMarker = assertThrows(DecodeException.class, () -> codec.decode(new byte[] {0x7B, 0x22}));
    assertEquals(RejectionReason.UNDECODABLE, unknownMarker.reason());
    assertEquals("unknown wire format: first byte 0x7B is neither 0x00 (schema registry framing) nor 0xC3 0x01 (Avro single-object encoding)",
        unknownMarker.getMessage());

    DecodeException halfMarker = assertThrows(DecodeException.class, () -> codec.decode(new byte[] {(byte) 0xC3, 0x02, 1}));
    assertEquals(RejectionReason.UNDECODABLE, halfMarker.reason());

    DecodeException empty = assertThrows(DecodeException.class, () -> codec.decode(new byte[0]));
    assertEquals(RejectionReason.MISSING_FIELD, empty.reason());

    byte[] valid = codec.encode("t", Samples.record(TransactionEvent.getClassSchema()));
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 20);
    DecodeException corrupt = assertThrows(DecodeException.class, () -> codec.decode(truncated));
    assertEquals(RejectionReason.UNDECODABLE, corrupt.reason());
    assertEquals(true, corrupt.getMessage().endsWith("): it ends before its last field (truncated)"), corrupt.getMessage());

    byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 3);
    DecodeException extra = assertThrows(DecodeException.class, () -> codec.decode(trailing));
    assertEquals(RejectionReason.UNDECODABLE, extra.reason());
  }

  /**
   * A write that fails half way (a decimal too large for its schema) leaves nothing behind: the next record
   * encoded on the thread, of any type, decodes as itself (the reused encoder once flushed the failed record's
   * partial bytes into the next one).
   */
  @Test
  void aFailedEncodeLeavesNothingInTheNextRecord() {
    SerdeFactory serdes = SerdeFactory.singleObject();
    LedgerEntry tooLarge = (LedgerEntry) Samples.record(LedgerEntry.getClassSchema());
    tooLarge.setBalanceAfter(new BigDecimal("99999999999999999.9999"));
    assertThrows(RuntimeException.class, () -> serdes.codec(LedgerEntry.class).encode("t", tooLarge));
    SpecificRecord next = Samples.record(Rejection.getClassSchema());
    AvroCodec<SpecificRecord> rejections = codec(serdes, Rejection.getClassSchema());
    assertSame(next, rejections.decode(rejections.encode("t", next)));
  }

  @Test
  void anUnknownFingerprintFailsNamingIt() {
    byte[] bytes = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
    DecodeException e = assertThrows(DecodeException.class,
        () -> SerdeFactory.singleObject().codec(TransactionEvent.class).decode(bytes));
    assertEquals(RejectionReason.UNKNOWN_SCHEMA, e.reason());
    assertEquals("unknown schema fingerprint 0807060504030201: no bundled schema version has it", e.getMessage());
  }

  @Test
  void aFingerprintOfAnotherRecordTypeFailsNamingBoth() {
    byte[] ledgerBytes = SerdeFactory.singleObject().codec(LedgerEntry.class)
        .encode("t", Samples.record(LedgerEntry.getClassSchema()));
    DecodeException e = assertThrows(DecodeException.class,
        () -> SerdeFactory.singleObject().codec(TransactionEvent.class).decode(ledgerBytes));
    assertEquals(RejectionReason.UNKNOWN_SCHEMA, e.reason());
    assertEquals(true, e.getMessage().endsWith("is io.loyalty.avro.LedgerEntry, not the expected io.loyalty.avro.TransactionEvent"),
        e.getMessage());
  }

  @Test
  void anUnknownSchemaIdFailsNamingIt() throws Exception {
    AvroCodec<TransactionEvent> codec = SerdeFactory.withRegistry(RegistrySettings.of(SchemaRegistryServer.shared().url()))
        .codec(TransactionEvent.class);
    DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(new byte[] {0, 0x7F, 0, 0, 42, 2}));
    assertEquals(RejectionReason.UNKNOWN_SCHEMA, e.reason());
    assertTrue(e.getMessage().startsWith("unknown schema id 2130706474: schema registry GET /schemas/ids/2130706474 answered 404 (40403): "),
        e.getMessage());
  }

  @Test
  void registryFramingWithoutARegistryFailsSayingSo() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> SerdeFactory.singleObject().codec(TransactionEvent.class).decode(new byte[] {0, 0, 0, 0, 42, 2}));
    assertEquals(RejectionReason.UNKNOWN_SCHEMA, e.reason());
    assertEquals("record uses schema registry framing (schema id 42) but no schema.registry.url is configured", e.getMessage());
  }
}
