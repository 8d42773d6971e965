package io.loyalty.earning;

import io.loyalty.avro.GroupMultiplier;
import io.loyalty.avro.ProductMultiplier;
import io.loyalty.avro.ProductScope;
import io.loyalty.avro.Promotion;
import io.loyalty.avro.TransactionLine;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * How multipliers combine (documented in the README):
 * <ul>
 *   <li>a line earns {@code line spend x accrual rate x product multiplier}, where the product multiplier is
 *       that of the most specific matching rule (SKU, then strain, then brand, then category; 1 when none);</li>
 *   <li>the ticket's points are the sum over lines times the customer group's multiplier and the highest
 *       promotion active at the ticket's local time (promotions do not stack), then rounded once;</li>
 *   <li>0 anywhere means nothing: a 0x group earns nothing whatever its membership.</li>
 * </ul>
 */
public final class Multipliers {
  private static final List<ProductScope> SPECIFICITY =
      List.of(ProductScope.SKU, ProductScope.STRAIN, ProductScope.BRAND, ProductScope.CATEGORY);

  private Multipliers() {}

  public static BigDecimal product(ProgramRules program, TransactionLine line) {
    for (ProductScope scope : SPECIFICITY) {
      String value = switch (scope) {
        case SKU -> line.getSku();
        case STRAIN -> line.getStrain();
        case BRAND -> line.getBrand();
        case CATEGORY -> line.getCategory();
      };
      if (value == null) {
        continue;
      }
      Optional<BigDecimal> match = program.config().getProductMultipliers().stream()
          .filter(rule -> rule.getScope() == scope && rule.getValue().equalsIgnoreCase(value))
          .map(ProductMultiplier::getMultiplier)
          .findFirst();
      if (match.isPresent()) {
        return match.get();
      }
    }
    return BigDecimal.ONE;
  }

  public static BigDecimal ticket(ProgramRules program, String customerGroup, Instant at) {
    BigDecimal group = customerGroup == null ? BigDecimal.ONE : program.config().getGroupMultipliers().stream()
        .filter(rule -> rule.getCustomerGroup().equalsIgnoreCase(customerGroup))
        .map(GroupMultiplier::getMultiplier)
        .findFirst()
        .orElse(BigDecimal.ONE);
    LocalDateTime local = LocalDateTime.ofInstant(at, program.zone());
    BigDecimal promotion = program.config().getPromotions().stream()
        .filter(p -> !local.isBefore(p.getStartsAt()) && local.isBefore(p.getEndsAt()))
        .map(Promotion::getMultiplier)
        .max(BigDecimal::compareTo)
        .orElse(BigDecimal.ONE);
    return group.multiply(promotion);
  }
}
