package io.loyalty.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.Product;
import io.loyalty.avro.state.AccountState;
import io.loyalty.demo.SampleCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule of the marketing policy, on its own. */
class ComplianceTest {
  private static final ZoneId DENVER = ZoneId.of("America/Denver");
  private static final Instant AT = Instant.parse("2026-06-01T18:00:00Z");
  private static final LocalDate AT_DATE = LocalDate.of(2026, 6, 1);
  private static final CompliancePolicy POLICY = CompliancePolicy.newBuilder().build();

  private static AccountState born(LocalDate birthDate, String group) {
    AccountState state = AccountBook.open("greenleaf", "c1", AT);
    state.setBirthDate(birthDate);
    state.setCustomerGroup(group);
    return state;
  }

  private static Product product(String sku) {
    return SampleCatalog.products("greenleaf", AT).stream().filter(p -> p.getSku().equals(sku)).findFirst().orElseThrow();
  }

  @Test
  void marketingNeedsAnAgeOf21Or18ForMedicalPatientsAndABirthDate() {
    LocalDate turns21 = LocalDate.of(2005, 6, 1);
    assertEquals(Optional.empty(), Compliance.forbidsMarketing(born(turns21, null), POLICY, false, AT, DENVER), "21 today");
    assertEquals(Optional.of(Compliance.UNDER_AGE),
        Compliance.forbidsMarketing(born(turns21.plusDays(1), null), POLICY, false, AT, DENVER), "21 tomorrow");
    AccountState patient = born(LocalDate.of(2008, 5, 1), "Medical");
    assertTrue(Compliance.isMedicalPatient(patient, POLICY, AT_DATE), "groups match whatever their case");
    assertEquals(Optional.empty(), Compliance.forbidsMarketing(patient, POLICY, true, AT, DENVER), "an 18-year-old patient");
    assertEquals(Optional.of(Compliance.NO_BIRTH_DATE), Compliance.forbidsMarketing(born(null, null), POLICY, false, AT, DENVER));
    CompliancePolicy noBirthDateNeeded = CompliancePolicy.newBuilder().setRequireBirthDate(false).build();
    assertEquals(Optional.empty(), Compliance.forbidsMarketing(born(null, null), noBirthDateNeeded, false, AT, DENVER));
  }

  @Test
  void offersGiveNoFreeProductNoDiscountAboveTheMaximumAndMedicalOnlyProductsOnlyToPatients() {
    Product flower = product("FL-BD-35");
    assertEquals(Optional.of(Compliance.FREE_PRODUCT),
        Compliance.forbidsOffer(OfferKind.PRODUCT_DISCOUNT, new BigDecimal("100"), flower, POLICY, false));
    assertEquals(Optional.of(Compliance.DISCOUNT_ABOVE_MAXIMUM),
        Compliance.forbidsOffer(OfferKind.CATEGORY_DISCOUNT, new BigDecimal("20.01"), flower, POLICY, false));
    assertEquals(Optional.empty(), Compliance.forbidsOffer(OfferKind.PRODUCT_DISCOUNT, new BigDecimal("20"), flower, POLICY, false));
    assertEquals(Optional.empty(), Compliance.forbidsOffer(OfferKind.BONUS_POINTS, new BigDecimal("500"), flower, POLICY, false),
        "points are not a discount");
    Product medicalOnly = product("TI-RSO-1");
    assertEquals(Optional.of(Compliance.MEDICAL_ONLY),
        Compliance.forbidsOffer(OfferKind.BONUS_POINTS, new BigDecimal("5"), medicalOnly, POLICY, false));
    assertEquals(Optional.empty(), Compliance.forbidsOffer(OfferKind.BONUS_POINTS, new BigDecimal("5"), medicalOnly, POLICY, true));
    assertFalse(Compliance.isMedicalPatient(born(null, "vip"), POLICY, AT_DATE));
  }

  @Test
  void aMedicalCardMakesAPatientUntilTheEndOfItsExpiryDay() {
    AccountState carded = born(LocalDate.of(2008, 5, 1), null);
    carded.setMedicalCardExpiresOn(AT_DATE);
    assertTrue(Compliance.isMedicalPatient(carded, POLICY, AT_DATE), "valid on its expiry day");
    assertFalse(Compliance.isMedicalPatient(carded, POLICY, AT_DATE.plusDays(1)), "expired the day after");
    assertTrue(Compliance.isMedicalPatient(born(null, "medical"), POLICY, AT_DATE.plusYears(5)), "a medical group needs no card");
  }
}
