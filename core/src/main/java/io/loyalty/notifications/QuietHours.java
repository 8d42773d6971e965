package io.loyalty.notifications;

import io.loyalty.avro.Channel;
import io.loyalty.programs.ProgramRules;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/**
 * SMS is not sent during the program's quiet hours (local time, 21:00 to 08:00 by default; the window may
 * span midnight). A message caused inside them is deferred to their end, never dropped. Email and push are
 * read when the customer chooses and go out at once.
 */
public final class QuietHours {
  private QuietHours() {}

  public static Instant sendAfter(Channel channel, Instant at, ProgramRules program) {
    LocalTime start = LocalTime.parse(program.config().getQuietHoursStart());
    LocalTime end = LocalTime.parse(program.config().getQuietHoursEnd());
    if (channel != Channel.SMS || start.equals(end)) {
      return at;
    }
    ZonedDateTime local = at.atZone(program.zone());
    LocalTime time = local.toLocalTime();
    boolean spansMidnight = start.isAfter(end);
    boolean quiet = spansMidnight ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
    if (!quiet) {
      return at;
    }
    ZonedDateTime resume = local.with(end);
    if (!resume.isAfter(local)) {
      resume = local.toLocalDate().plusDays(1).atTime(end).atZone(program.zone());
    }
    return resume.toInstant();
  }
}
