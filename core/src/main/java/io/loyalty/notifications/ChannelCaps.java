package io.loyalty.notifications;

import io.loyalty.avro.Channel;
import io.loyalty.avro.ChannelCap;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelSends;
import io.loyalty.programs.ProgramRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The program's frequency caps per channel for campaign messages: at most {@code perDay} a local day and
 * {@code perWeek} over the last 7 local days per customer and channel. The account keeps, per capped channel, the
 * local day of each message sent within the last 7 days: no more than the weekly cap, or the day's alone without
 * one, so the state stays bounded by the program's caps.
 */
final class ChannelCaps {
  private static final int WEEK_DAYS = 7;

  private ChannelCaps() {}

  static Optional<ChannelCap> of(ProgramRules program, Channel channel) {
    return program.config().getChannelCaps().stream().filter(cap -> cap.getChannel() == channel).findFirst();
  }

  /** Whether one more campaign message may go on the cap's channel at this business time; counted when it may. */
  static boolean admits(AccountState state, ProgramRules program, ChannelCap cap, Instant at) {
    int today = (int) at.atZone(program.zone()).toLocalDate().toEpochDay();
    String channel = cap.getChannel().name();
    List<ChannelSends> all = new ArrayList<>(state.getChannelSends());
    ChannelSends sends = all.stream().filter(kept -> kept.getChannel().equals(channel)).findFirst().orElse(null);
    int oldestKept = cap.getPerWeek() > 0 ? today - WEEK_DAYS + 1 : today;
    List<Integer> recent = new ArrayList<>();
    if (sends != null) {
      sends.getDays().stream().filter(day -> day >= oldestKept).forEach(recent::add);
    }
    long sentToday = recent.stream().filter(day -> day == today).count();
    if (cap.getPerDay() > 0 && sentToday >= cap.getPerDay() || cap.getPerWeek() > 0 && recent.size() >= cap.getPerWeek()) {
      return false;
    }
    recent.add(today);
    all.removeIf(kept -> kept.getChannel().equals(channel));
    all.add(new ChannelSends(channel, recent));
    state.setChannelSends(all);
    return true;
  }
}
