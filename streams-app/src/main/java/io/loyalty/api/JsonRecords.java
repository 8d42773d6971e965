package io.loyalty.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON form of the contract's records, for people and scripts (the {@code produce} and {@code consume}
 * commands). Decimals are strings ("12.50"; numbers are accepted on input), timestamps ISO-8601 instants
 * ("2026-11-23T18:05:00Z"; epoch milliseconds accepted), dates "2026-11-23", local date-times
 * "2026-11-27T00:00", enums their symbol, bytes base64. An optional field may be left out; a union of
 * records is written as {"BranchName": {...}}. Unknown fields are an error, so typos do not pass silently.
 */
public final class JsonRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonRecords() {}

  /** Parses one JSON document into the record type of the schema. */
  public static <T extends SpecificRecord> T parse(String json, Schema schema) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    Object raw = toAvro(node, schema, schema.getName());
    return fromRaw((IndexedRecord) raw, schema);
  }

  /** Raw generic data written with the schema, read back as the generated class with its logical types. */
  private static <T extends SpecificRecord> T fromRaw(IndexedRecord raw, Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<IndexedRecord>(schema, new GenericData()).write(raw, encoder);
      encoder.flush();
      SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, SpecificData.getForSchema(schema));
      return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object toAvro(JsonNode node, Schema schema, String path) {
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case RECORD:
        return record(node, schema, path);
      case UNION:
        return union(node, schema, path);
      case ARRAY: {
        require(node.isArray(), path, "an array");
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
          items.add(toAvro(node.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return items;
      }
      case MAP: {
        require(node.isObject(), path, "an object");
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), toAvro(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
        return map;
      }
      case ENUM:
        require(node.isTextual() && schema.getEnumSymbols().contains(node.asText()), path,
            "one of " + schema.getEnumSymbols());
        return new GenericData.EnumSymbol(schema, node.asText());
      case STRING:
        require(node.isTextual(), path, "a string");
        return node.asText();
      case BOOLEAN:
        require(node.isBoolean(), path, "true or false");
        return node.asBoolean();
      case INT:
        if (logical instanceof LogicalTypes.Date) {
          return (int) parse(path, () -> LocalDate.parse(node.asText()).toEpochDay(), "a date YYYY-MM-DD");
        }
        require(node.canConvertToInt() && node.isIntegralNumber(), path, "an integer");
        return node.asInt();
      case LONG:
        if (logical instanceof LogicalTypes.TimestampMillis) {
          return node.isIntegralNumber() ? node.asLong()
              : parse(path, () -> Instant.parse(node.asText()).toEpochMilli(), "an ISO-8601 instant such as 2026-11-23T18:05:00Z");
        }
        if (logical instanceof LogicalTypes.LocalTimestampMillis) {
          return parse(path, () -> LocalDateTime.parse(node.asText()).toInstant(ZoneOffset.UTC).toEpochMilli(),
              "a local date-time such as 2026-11-27T00:00");
        }
        require(node.isIntegralNumber(), path, "an integer");
        return node.asLong();
      case BYTES:
        if (logical instanceof LogicalTypes.Decimal decimal) {
          return decimal(node, decimal, path);
        }
        require(node.isTextual(), path, "base64 text");
        return ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
      case DOUBLE:
        require(node.isNumber(), path, "a number");
        return node.asDouble();
      case NULL:
        require(node.isNull(), path, "null");
        return null;
      default:
        throw new IllegalArgumentException(path + ": unsupported schema type " + schema.getType());
    }
  }

  private static GenericData.Record record(JsonNode node, Schema schema, String path) {
    require(node.isObject(), path, "an object");
    GenericData.Record record = new GenericData.Record(schema);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        throw new IllegalArgumentException(path + ": unknown field '" + name + "'");
      }
    }
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = node.get(field.name());
      if (value == null) {
        if (!field.hasDefaultValue()) {
          throw new IllegalArgumentException(path + "." + field.name() + ": missing (required)");
        }
        record.put(field.pos(), GenericData.get().getDefaultValue(field));
      } else {
        record.put(field.pos(), toAvro(value, field.schema(), path + "." + field.name()));
      }
    }
    return record;
  }

  private static Object union(JsonNode node, Schema schema, String path) {
    List<Schema> branches = schema.getTypes();
    if (node.isNull()) {
      require(branches.stream().anyMatch(b -> b.getType() == Schema.Type.NULL), path, "not null");
      return null;
    }
    List<Schema> nonNull = branches.stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    if (nonNull.size() == 1) {
      return toAvro(node, nonNull.get(0), path);
    }
    require(node.isObject() && node.size() == 1, path, "an object with one field naming the branch, one of " + branchNames(nonNull));
    String name = node.fieldNames().next();
    for (Schema branch : nonNull) {
      if (branch.getName().equals(name) || branch.getFullName().equals(name)) {
        return toAvro(node.get(name), branch, path + "." + name);
      }
    }
    throw new IllegalArgumentException(path + ": unknown branch '" + name + "', expected one of " + branchNames(nonNull));
  }

  private static List<String> branchNames(List<Schema> branches) {
    return branches.stream().map(Schema::getName).toList();
  }

  private static ByteBuffer decimal(JsonNode node, LogicalTypes.Decimal decimal, String path) {
    require(node.isTextual() || node.isNumber(), path, "a decimal such as \"12.50\"");
    BigDecimal value;
    try {
      value = new BigDecimal(node.asText().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(path + ": '" + node.asText() + "' is not a decimal number");
    }
    BigDecimal scaled;
    try {
      scaled = value.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(path + ": " + value.toPlainString() + " has more than " + decimal.getScale() + " decimals");
    }
    if (scaled.precision() > decimal.getPrecision()) {
      throw new IllegalArgumentException(path + ": " + value.toPlainString() + " has more than " + decimal.getPrecision() + " digits");
    }
    return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
  }

  private interface Parse {
    long get();
  }

  private static long parse(String path, Parse parse, String expected) {
    try {
      return parse.get();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(path + ": expected " + expected + ", got '" + e.getParsedString() + "'");
    }
  }

  private static void require(boolean ok, String path, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(path + ": expected " + expected);
    }
  }

  /** The JSON form of a record (one line). */
  public static String toJson(IndexedRecord record) {
    return toNode(record, record.getSchema(), SpecificData.getForSchema(record.getSchema())).toString();
  }

  /** The model carries the logical-type conversions needed to tell which union branch a BigDecimal is. */
  private static JsonNode toNode(Object value, Schema schema, SpecificData model) {
    if (value == null) {
      return NODES.nullNode();
    }
    switch (schema.getType()) {
      case RECORD: {
        IndexedRecord record = (IndexedRecord) value;
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), toNode(record.get(field.pos()), field.schema(), model));
        }
        return object;
      }
      case UNION: {
        Schema branch = schema.getTypes().get(model.resolveUnion(schema, value));
        JsonNode inner = toNode(value, branch, model);
        long nonNull = schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).count();
        return nonNull == 1 ? inner : NODES.objectNode().set(branch.getName(), inner);
      }
      case ARRAY: {
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Iterable<?>) value) {
          array.add(toNode(item, schema.getElementType(), model));
        }
        return array;
      }
      case MAP: {
        ObjectNode object = NODES.objectNode();
        ((Map<?, ?>) value).forEach((k, v) -> object.set(k.toString(), toNode(v, schema.getValueType(), model)));
        return object;
      }
      case BYTES:
        if (value instanceof BigDecimal decimal) {
          return NODES.textNode(decimal.toPlainString());
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
      case INT:
        return value instanceof LocalDate date ? NODES.textNode(date.toString()) : NODES.numberNode((Integer) value);
      case LONG:
        if (value instanceof Instant || value instanceof LocalDateTime) {
          return NODES.textNode(value.toString());
        }
        return NODES.numberNode((Long) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      default:
        return NODES.textNode(value.toString());
    }
  }
}
