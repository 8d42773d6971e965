package io.loyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.topology.CustomerQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A cart a register asks a quote for: a purchase not made yet, with the cost of its goods when its lines give it. */
record Cart(TransactionEvent event, BigDecimal costOfGoods) {
  static Cart parse(byte[] body, String organizationId, String customerId) {
    try {
      JsonNode json = Http.JSON.readTree(body);
      List<TransactionLine> lines = new ArrayList<>();
      BigDecimal subtotal = BigDecimal.ZERO;
      BigDecimal lineDiscounts = BigDecimal.ZERO;
      BigDecimal cost = BigDecimal.ZERO;
      boolean costed = json.get("lines").size() > 0;
      int number = 0;
      for (JsonNode node : json.get("lines")) {
        ObjectNode line = ((ObjectNode) node).deepCopy();
        JsonNode unitCost = line.remove("unitCost");
        if (!line.has("lineId")) {
          line.put("lineId", "L" + ++number);
        }
        TransactionLine parsed = JsonRecords.parse(line.toString(), TransactionLine.getClassSchema());
        lines.add(parsed);
        BigDecimal gross = parsed.getQuantity().multiply(parsed.getUnitPrice()).setScale(2, RoundingMode.HALF_UP);
        subtotal = subtotal.add(gross);
        lineDiscounts = lineDiscounts.add(parsed.getDiscount());
        if (unitCost == null || unitCost.isNull()) {
          costed = false;
        } else {
          cost = cost.add(parsed.getQuantity().multiply(new BigDecimal(unitCost.asText())));
        }
      }
      BigDecimal discounts = json.hasNonNull("discounts") ? new BigDecimal(json.get("discounts").asText()) : lineDiscounts;
      BigDecimal tax = json.hasNonNull("tax") ? new BigDecimal(json.get("tax").asText()) : BigDecimal.ZERO;
      String quoteId = "quote-" + Instant.now().toEpochMilli();
      TransactionEvent event = TransactionEvent.newBuilder()
          .setEventId(quoteId).setTransactionId(quoteId).setType(TransactionType.PURCHASE)
          .setOrganizationId(organizationId).setCustomerId(customerId)
          .setLocationId(json.hasNonNull("locationId") ? json.get("locationId").asText() : "register")
          // Priced as of now, as the register would ring it up.
          .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
          .setLines(lines)
          .setSubtotal(subtotal.setScale(2, RoundingMode.HALF_UP))
          .setDiscounts(discounts.setScale(2, RoundingMode.HALF_UP))
          .setTax(tax.setScale(2, RoundingMode.HALF_UP))
          .setTotal(subtotal.subtract(discounts).add(tax).setScale(2, RoundingMode.HALF_UP))
          .build();
      return new Cart(event, costed ? cost.setScale(2, RoundingMode.HALF_UP) : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String toJson(CustomerQueries.Quote quote) {
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("accountKey", quote.accountKey());
    body.put("tier", quote.tier());
    body.put("spendable", quote.spendable().toPlainString());
    body.put("pointValue", quote.pointValue().toPlainString());
    body.put("currency", quote.currency());
    body.put("earn", quote.earn().toPlainString());
    ObjectNode redemption = body.putObject("redemption");
    redemption.put("method", quote.method());
    redemption.put("kind", quote.kind());
    redemption.put("maximumPoints", quote.maximum().points().toPlainString());
    redemption.put("maximumValue", quote.maximum().value().toPlainString());
    redemption.put("limitedBy", quote.maximum().limitedBy());
    // APPLY_ALL applies the most the cart may take without asking; MANUAL leaves the choice to the customer.
    redemption.put("applied", quote.method().equals("APPLY_ALL") ? quote.maximum().points().toPlainString() : null);
    body.put("earnWithMaximum", quote.earnWithMaximum().toPlainString());
    body.put("payableWithMaximum", quote.payableWithMaximum().toPlainString());
    return body.toString();
  }
}
