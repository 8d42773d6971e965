package io.loyalty.notifications;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.PendingDigest;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * At most dailyNotificationCap points messages per customer and local day (0: no cap), the digest included:
 * the first cap - 1 points changes of a day are told one by one, later ones fold into one digest sent when
 * the day ends. Tier and reward messages are rare and are not capped.
 */
final class DailyCap {
  private DailyCap() {}

  /** Counts a points message; false when the day's cap is reached and the change must fold into the digest. */
  static boolean admits(AccountState state, ProgramRules program, Instant at) {
    int day = day(at, program);
    if (state.getNotificationDay() != day) {
      state.setNotificationDay(day);
      state.setPointNotifications(0);
    }
    int cap = program.config().getDailyNotificationCap();
    if (cap > 0 && state.getPointNotifications() >= cap - 1) {
      return false;
    }
    state.setPointNotifications(state.getPointNotifications() + 1);
    return true;
  }

  static void fold(AccountState state, ProgramRules program, Instant at, BigDecimal pointsDelta, String sourceEventId) {
    PendingDigest digest = state.getDigest();
    if (digest == null) {
      int day = day(at, program);
      digest = new PendingDigest(day, Amounts.ZERO_POINTS, new ArrayList<>());
      Timers.schedule(state, TimerKind.NOTIFICATION_DIGEST, Integer.toString(day),
          LocalDate.ofEpochDay(day + 1L).atStartOfDay(program.zone()).toInstant());
      state.setPointNotifications(state.getPointNotifications() + 1);
    }
    List<String> sources = new ArrayList<>(digest.getSourceEventIds());
    sources.add(sourceEventId);
    state.setDigest(new PendingDigest(digest.getDay(), digest.getPointsDelta().add(pointsDelta), sources));
  }

  /** Takes the pending digest out of the account, once it is due. */
  static PendingDigest take(AccountState state) {
    PendingDigest digest = state.getDigest();
    state.setDigest(null);
    return digest;
  }

  private static int day(Instant at, ProgramRules program) {
    return (int) at.atZone(program.zone()).toLocalDate().toEpochDay();
  }
}
