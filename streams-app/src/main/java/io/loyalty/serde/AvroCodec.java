package io.loyalty.serde;

import io.loyalty.avro.RejectionReason;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes one record type in the configured wire format and decodes it from either format, told apart by the
 * first byte: 0x00 is the Confluent framing (4-byte big-endian schema id), 0xC3 0x01 Avro's single-object
 * encoding (8-byte little-endian fingerprint). Data written with any released schema version is resolved to
 * the current one.
 */
public final class AvroCodec<T extends SpecificRecord> {
  static final byte CONFLUENT_MAGIC = 0x00;
  static final byte[] SINGLE_OBJECT_MARKER = {(byte) 0xC3, 0x01};
  private static final int CONFLUENT_HEADER = 5;
  private static final int SINGLE_OBJECT_HEADER = 10;

  private final Schema schema;
  private final SpecificData model;
  private final SpecificDatumWriter<T> writer;
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;
  private final byte[] singleObjectHeader;
  private final Map<String, byte[]> confluentHeaderByTopic = new ConcurrentHashMap<>();
  private final Map<Schema, SpecificDatumReader<T>> readerByWriterSchema = new ConcurrentHashMap<>();

  /**
   * Encoding and decoding are on the hot path of every input, output and state access: each thread keeps one
   * decoder, one buffered encoder and one unsynchronized growable buffer instead of allocating them per record.
   */
  private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();
  private static final ThreadLocal<EncodeBuffer> ENCODE_BUFFER = ThreadLocal.withInitial(EncodeBuffer::new);

  /** With a registry client, writes the Confluent framing; without one, single-object encoding. */
  public AvroCodec(Schema schema, SchemaRegistryClient registry, boolean autoRegister) {
    this.schema = schema;
    this.model = SpecificData.getForSchema(schema);
    // The generated encoders of records without logical types write field by field with no per-field lookup of
    // the generic path; the bytes are the same (Avro leaves them off by default only for compatibility).
    model.setCustomCoders(true);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.singleObjectHeader = ByteBuffer.allocate(SINGLE_OBJECT_HEADER).order(ByteOrder.LITTLE_ENDIAN)
        .put(SINGLE_OBJECT_MARKER).putLong(BundledSchemas.fingerprint(schema)).array();
  }

  public byte[] encode(String topic, T record) {
    byte[] header = registry == null ? singleObjectHeader : confluentHeaderByTopic.computeIfAbsent(topic, this::confluentHeader);
    EncodeBuffer buffer = ENCODE_BUFFER.get();
    buffer.out.reset();
    buffer.out.write(header, 0, header.length);
    buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
    try {
      writer.write(record, buffer.encoder);
      buffer.encoder.flush();
    } catch (IOException | RuntimeException e) {
      // The failed record's first fields sit in the encoder's own buffer, and reusing it would flush them into
      // the next record, whatever its type: the encoder goes, the next record gets a fresh one.
      buffer.encoder = null;
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return buffer.out.toByteArray();
  }

  private byte[] confluentHeader(String topic) {
    String subject = topic + "-value";
    int id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
    return ByteBuffer.allocate(CONFLUENT_HEADER).put(CONFLUENT_MAGIC).putInt(id).array();
  }

  /**
   * Whether single-object encoded bytes were written with a version of the named schema: for a store whose values
   * changed type between versions.
   */
  public static boolean writtenAs(byte[] bytes, String fullName) {
    if (bytes == null || bytes.length < SINGLE_OBJECT_HEADER || bytes[0] != SINGLE_OBJECT_MARKER[0] || bytes[1] != SINGLE_OBJECT_MARKER[1]) {
      return false;
    }
    Schema writer = BundledSchemas.get().byFingerprint(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    return writer != null && writer.getFullName().equals(fullName);
  }

  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new DecodeException(RejectionReason.MISSING_FIELD, "record has no value (a tombstone) where a " + schema.getName()
          + " was expected: inputs are never deleted");
    }
    if (bytes.length == 0) {
      throw new DecodeException(RejectionReason.MISSING_FIELD, "record value is empty (0 bytes) where a " + schema.getName()
          + " was expected");
    }
    if (bytes[0] == CONFLUENT_MAGIC) {
      return decodeConfluent(bytes);
    }
    if (bytes.length >= 2 && bytes[0] == SINGLE_OBJECT_MARKER[0] && bytes[1] == SINGLE_OBJECT_MARKER[1]) {
      return decodeSingleObject(bytes);
    }
    throw new DecodeException(RejectionReason.UNDECODABLE, String.format(
        "unknown wire format: first byte 0x%02X is neither 0x00 (schema registry framing) nor 0xC3 0x01 (Avro single-object encoding)",
        bytes[0] & 0xFF));
  }

  private T decodeConfluent(byte[] bytes) {
    if (bytes.length < CONFLUENT_HEADER) {
      throw new DecodeException(RejectionReason.UNDECODABLE, "schema registry framing truncated: " + bytes.length + " bytes");
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    if (registry == null) {
      throw new DecodeException(RejectionReason.UNKNOWN_SCHEMA,
          "record uses schema registry framing (schema id " + id + ") but no schema.registry.url is configured");
    }
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(id);
    } catch (RegistryException e) {
      if (e.httpStatus() == 404) {
        throw new DecodeException(RejectionReason.UNKNOWN_SCHEMA, "unknown schema id " + id + ": " + e.getMessage(), e);
      }
      throw e;
    }
    return read(writerSchema, bytes, CONFLUENT_HEADER, () -> "schema id " + id);
  }

  private T decodeSingleObject(byte[] bytes) {
    if (bytes.length < SINGLE_OBJECT_HEADER) {
      throw new DecodeException(RejectionReason.UNDECODABLE, "single-object encoding truncated: " + bytes.length + " bytes");
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writerSchema = BundledSchemas.get().byFingerprint(fingerprint);
    if (writerSchema == null) {
      throw new DecodeException(RejectionReason.UNKNOWN_SCHEMA,
          String.format("unknown schema fingerprint %016x: no bundled schema version has it", fingerprint));
    }
    // The writer is named only in error messages: formatting it for every record cost a few percent of a stream thread.
    return read(writerSchema, bytes, SINGLE_OBJECT_HEADER, () -> String.format("fingerprint %016x", fingerprint));
  }

  private T read(Schema writerSchema, byte[] bytes, int offset, Supplier<String> writerName) {
    if (!writerSchema.getFullName().equals(schema.getFullName())) {
      throw new DecodeException(RejectionReason.UNKNOWN_SCHEMA, writerName.get() + " is " + writerSchema.getFullName()
          + ", not the expected " + schema.getFullName());
    }
    SpecificDatumReader<T> reader =
        readerByWriterSchema.computeIfAbsent(writerSchema, w -> new SpecificDatumReader<>(w, schema, model));
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, DECODER.get());
    DECODER.set(decoder);
    try {
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new DecodeException(RejectionReason.UNDECODABLE,
            "trailing bytes after a " + schema.getName() + " written with " + writerName.get());
      }
      return record;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DecodeException decodeException) {
        throw decodeException;
      }
      // Said for the integrator who reads the rejection; the exception stays attached for the log.
      String what = e instanceof EOFException ? "it ends before its last field (truncated)"
          : "its bytes do not follow the schema (a field's length or branch is out of range)";
      throw new DecodeException(RejectionReason.UNDECODABLE,
          "corrupt " + schema.getName() + " body (" + writerName.get() + "): " + what, e);
    }
  }

  private static final class EncodeBuffer {
    final UnsynchronizedByteArrayOutputStream out = new UnsynchronizedByteArrayOutputStream();
    BinaryEncoder encoder;
  }

  private static final class UnsynchronizedByteArrayOutputStream extends java.io.OutputStream {
    private byte[] bytes = new byte[1024];
    private int size;

    void reset() {
      size = 0;
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensure(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
