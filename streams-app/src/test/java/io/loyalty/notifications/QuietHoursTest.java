package io.loyalty.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.Channel;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
  private static ProgramRules program(String start, String end) {
    return new ProgramRules(Records.program("1").setTimeZone("America/New_York").setQuietHoursStart(start).setQuietHoursEnd(end).build());
  }

  private static Instant sms(ProgramRules program, String at) {
    return QuietHours.sendAfter(Channel.SMS, Instant.parse(at), program);
  }

  @Test
  void aWindowAcrossMidnightDefersToItsEndOnTheRightDay() {
    ProgramRules program = program("21:00", "08:00");
    assertEquals(Instant.parse("2026-06-10T00:59:00Z"), sms(program, "2026-06-10T00:59:00Z"), "20:59 EDT is before the window");
    assertEquals(Instant.parse("2026-06-10T12:00:00Z"), sms(program, "2026-06-10T01:00:00Z"), "21:00 EDT waits for 08:00 EDT");
    assertEquals(Instant.parse("2026-06-10T12:00:00Z"), sms(program, "2026-06-10T07:00:00Z"), "03:00 EDT, same morning");
    assertEquals(Instant.parse("2026-06-10T12:00:00Z"), sms(program, "2026-06-10T12:00:00Z"), "08:00 sharp is allowed");
    assertEquals(Instant.parse("2026-03-08T12:00:00Z"), sms(program, "2026-03-08T03:00:00Z"),
        "22:00 EST on 7 March; clocks spring forward that night, so 08:00 is EDT");
  }

  @Test
  void aDaytimeWindowAndNoWindow() {
    ProgramRules lunch = program("12:00", "13:00");
    assertEquals(Instant.parse("2026-06-10T17:00:00Z"), sms(lunch, "2026-06-10T16:30:00Z"));
    assertEquals(Instant.parse("2026-06-10T17:30:00Z"), sms(lunch, "2026-06-10T17:30:00Z"));
    ProgramRules none = program("00:00", "00:00");
    assertEquals(Instant.parse("2026-06-10T03:00:00Z"), sms(none, "2026-06-10T03:00:00Z"), "equal bounds: no quiet hours");
  }

  @Test
  void onlySmsIsDeferred() {
    ProgramRules program = program("21:00", "08:00");
    Instant night = Instant.parse("2026-06-10T03:00:00Z");
    assertEquals(night, QuietHours.sendAfter(Channel.EMAIL, night, program));
    assertEquals(night, QuietHours.sendAfter(Channel.PUSH, night, program));
  }
}
