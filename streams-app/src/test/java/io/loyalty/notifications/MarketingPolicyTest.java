package io.loyalty.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.Posting;
import io.loyalty.accounts.StoredLots;
import io.loyalty.avro.Channel;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.Lot;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Every message that names a product passes the marketing policy offers pass: here the points message. */
class MarketingPolicyTest {
  private static final Instant AT = Instant.parse("2026-06-01T18:00:00Z");
  private static final ProgramRules PROGRAM = new ProgramRules(Records.program("1").setTimeZone("America/Denver").build());

  /** Every lot stays in the account's record here. */
  private static final StoredLots NO_STORED_LOTS = new StoredLots() {
    @Override
    public Lot get(Instant earnedAt, String lotId) {
      return null;
    }

    @Override
    public void put(Lot lot) {
      throw new IllegalStateException("no lot leaves the record in this test");
    }

    @Override
    public void delete(Lot lot) {}

    @Override
    public void visitOldestFirst(Predicate<Lot> visitor) {}
  };

  private static AccountState member(LocalDate birthDate) {
    AccountState state = AccountBook.open(Records.ORG, "c1", AT);
    state.setEnrollment(EnrollmentState.ENROLLED);
    state.setEmail("ana@example.com");
    state.setEmailConsent(ChannelConsent.CONFIRMED);
    state.setBirthDate(birthDate);
    return state;
  }

  private static List<String> pointsMessage(AccountState state) {
    AccountBook book = new AccountBook(state, NO_STORED_LOTS, new EventContext("e1", AT, "downtown", 1L, null));
    LedgerEntry earned = book.credit(Posting.of(LedgerEntryType.EARN, Records.d("30.0000"), "t1"), null, null);
    List<NotificationRequest> sent = NotificationPlanner.forPoints(state, PROGRAM, List.of(earned), List.of("Blue Dream 3.5g", "Gummies"));
    return sent.stream().map(request -> request.getChannel() + " " + request.getVariables().getOrDefault("recommendedProducts", "-")).toList();
  }

  @Test
  void aPointsMessageNamesProductsOnlyToACustomerTheMarketingPolicyAllows() {
    assertEquals(List.of(Channel.EMAIL + " Blue Dream 3.5g, Gummies"), pointsMessage(member(LocalDate.of(1990, 5, 1))));
    assertEquals(List.of(Channel.EMAIL + " -"), pointsMessage(member(LocalDate.of(2006, 1, 1))),
        "20 years old, under the policy's 21: the points, no product");
    assertEquals(List.of(Channel.EMAIL + " -"), pointsMessage(member(null)), "no birth date where the policy requires one");
  }
}
