package io.loyalty.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ChannelCap;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelSends;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Campaign messages per channel, a local day and the last 7 local days: exact admissions and the days kept. */
class ChannelCapsTest {
  /** 12:00 in Denver on 1 June 2026. */
  private static final Instant NOON = Instant.parse("2026-06-01T18:00:00Z");
  private static final ProgramRules PROGRAM = new ProgramRules(Records.program("1").setTimeZone("America/Denver").build());

  private static List<Boolean> admissions(ChannelCap cap, AccountState state, int... days) {
    List<Boolean> admitted = new ArrayList<>();
    for (int day : days) {
      admitted.add(ChannelCaps.admits(state, PROGRAM, cap, NOON.plus(Duration.ofDays(day))));
    }
    return admitted;
  }

  @Test
  void twoADayAndThreeAWeekCountLocalDays() {
    ChannelCap cap = ChannelCap.newBuilder().setChannel(Channel.SMS).setPerDay(2).setPerWeek(3).build();
    AccountState state = AccountBook.open(Records.ORG, "c1", NOON);
    assertEquals(List.of(true, true, false, true, false, false, true), admissions(cap, state, 0, 0, 0, 3, 5, 6, 7),
        "day 0 twice (a third refused), day 3 (three in the week), refused on days 5 and 6, day 7: day 0's two left the week");
    int day0 = (int) java.time.LocalDate.of(2026, 6, 1).toEpochDay();
    assertEquals(List.of(new ChannelSends("SMS", List.of(day0 + 3, day0 + 7))), state.getChannelSends(), "only the last 7 days are kept");
    assertEquals(List.of(true, false, true), admissions(cap, state, 7, 7, 10),
        "day 7's second (three in the week with day 3), not a third that day; day 10: day 3 left the week");
  }

  @Test
  void aDailyCapAloneKeepsTodayOnlyAndChannelsCountApart() {
    ChannelCap sms = ChannelCap.newBuilder().setChannel(Channel.SMS).setPerDay(1).build();
    ChannelCap email = ChannelCap.newBuilder().setChannel(Channel.EMAIL).setPerDay(1).build();
    AccountState state = AccountBook.open(Records.ORG, "c1", NOON);
    assertEquals(List.of(true, false), admissions(sms, state, 0, 0));
    assertEquals(List.of(true), admissions(email, state, 0), "email has its own count");
    assertEquals(List.of(true), admissions(sms, state, 1));
    int day1 = (int) java.time.LocalDate.of(2026, 6, 2).toEpochDay();
    assertEquals(new ChannelSends("SMS", List.of(day1)), state.getChannelSends().get(1), "without a weekly cap, today's alone");
  }
}
