package io.loyalty.notifications;

import io.loyalty.avro.Channel;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a customer can be messaged: the channels with a confirmed consent and an address. Push is addressed
 * by the customer id, which the push service maps to the customer's devices.
 */
public final class Recipients {
  private Recipients() {}

  public record Recipient(Channel channel, String address) {}

  public static List<Recipient> consented(AccountState state) {
    List<Recipient> recipients = new ArrayList<>();
    for (Channel channel : Channel.values()) {
      String address = address(state, channel);
      if (address != null && ConsentRules.consent(state, channel) == ChannelConsent.CONFIRMED) {
        recipients.add(new Recipient(channel, address));
      }
    }
    return recipients;
  }

  public static String address(AccountState state, Channel channel) {
    return switch (channel) {
      case EMAIL -> state.getEmail();
      case SMS -> state.getPhone();
      case PUSH -> state.getCustomerId();
    };
  }
}
