package io.loyalty.intake;

import io.loyalty.avro.RejectionReason;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The size of one input, checked before anything of it is read or applied: a schema-valid record can still carry
 * 45,000 lines or a megabyte of name, whose state and outputs no broker would take. Every list and every text of
 * the record is walked (a few dozen fields for a real ticket); the first one beyond its limit refuses the input
 * whole, as LIMIT_EXCEEDED naming the setting.
 *
 * @param ticketLines lines of a POS ticket, and of a cart a register asks a quote for (limits.ticket.lines)
 * @param cartItems items of a cart an activity report carries (limits.cart.items)
 * @param listEntries entries of any other list or map of an input (limits.list.entries)
 * @param textChars characters of any text field of an input (limits.text.chars)
 */
public record InputLimits(int ticketLines, int cartItems, int listEntries, int textChars) {
  public InputLimits {
    if (ticketLines < 1 || cartItems < 1 || listEntries < 1 || textChars < 1) {
      throw new IllegalArgumentException("limits.* must be positive");
    }
  }

  public Optional<Violation> check(IndexedRecord input) {
    return record(input, "");
  }

  private Optional<Violation> record(IndexedRecord record, String path) {
    for (Schema.Field field : record.getSchema().getFields()) {
      Optional<Violation> violation = value(record.get(field.pos()), path + field.name());
      if (violation.isPresent()) {
        return violation;
      }
    }
    return Optional.empty();
  }

  private Optional<Violation> value(Object value, String path) {
    if (value instanceof CharSequence text && text.length() > textChars) {
      return exceeded(path + " has " + text.length() + " characters, more than limits.text.chars (" + textChars + ")");
    }
    if (value instanceof IndexedRecord nested) {
      return record(nested, path + ".");
    }
    if (value instanceof Collection<?> list) {
      Optional<Violation> size = entries(path, list.size());
      if (size.isPresent()) {
        return size;
      }
      int index = 0;
      for (Object entry : list) {
        Optional<Violation> violation = value(entry, path + "[" + index++ + "]");
        if (violation.isPresent()) {
          return violation;
        }
      }
    }
    if (value instanceof Map<?, ?> map) {
      Optional<Violation> size = entries(path, map.size());
      if (size.isPresent()) {
        return size;
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Optional<Violation> violation = value(entry.getKey(), path + " key").or(() -> value(entry.getValue(), path + "[" + entry.getKey() + "]"));
        if (violation.isPresent()) {
          return violation;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Violation> entries(String path, int size) {
    return switch (path) {
      case "lines" -> size > ticketLines
          ? exceeded("a ticket of " + size + " lines is more than limits.ticket.lines (" + ticketLines + ")") : Optional.empty();
      case "cartItems" -> size > cartItems
          ? exceeded("a cart of " + size + " items is more than limits.cart.items (" + cartItems + ")") : Optional.empty();
      default -> size > listEntries
          ? exceeded(path + " has " + size + " entries, more than limits.list.entries (" + listEntries + ")") : Optional.empty();
    };
  }

  private static Optional<Violation> exceeded(String message) {
    return Optional.of(new Violation(RejectionReason.LIMIT_EXCEEDED, message + "; nothing of it was applied"));
  }
}
