package io.loyalty.notifications;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.ConsentChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Marketing consent per channel, kept apart from membership. Email and push are consented by a grant; SMS
 * needs a confirmed opt-in (the customer's YES reply), so a grant only awaits it. A revocation (STOP,
 * unsubscribe) takes effect with the command. Consent belongs to an address: changing the email or phone
 * withdraws that channel's consent until the customer grants it again.
 */
public final class ConsentRules {
  private ConsentRules() {}

  public static CommandOutcome change(AccountBook book, ChangeConsent change) {
    AccountState state = book.state();
    Channel channel = change.getChannel();
    if (change.getAction() != io.loyalty.avro.ConsentAction.REVOKE && Recipients.address(state, channel) == null) {
      return CommandOutcome.refused("MISSING_CONTACT", "the customer has no " + (channel == Channel.SMS ? "phone number" : "email address")
          + " to consent with");
    }
    ChannelConsent before = consent(state, channel);
    ChannelConsent after = switch (change.getAction()) {
      case REVOKE -> ChannelConsent.NONE;
      case CONFIRM -> ChannelConsent.CONFIRMED;
      case GRANT -> channel == Channel.SMS && before != ChannelConsent.CONFIRMED
          ? ChannelConsent.AWAITING_CONFIRMATION : ChannelConsent.CONFIRMED;
    };
    set(state, channel, after);
    record(book, channel, change.getAction().name(), after, change.getEvidence());
    book.touch();
    return CommandOutcome.applied(before == after ? "consent unchanged: " + after : null);
  }

  /** Consent changes kept per account with their evidence (the oldest go beyond this many). */
  public static final int CHANGES_KEPT = 50;
  public static final String ADDRESS_CHANGED = "ADDRESS_CHANGED";

  /** Keeps what a consent now rests on: the change, when, through which request, who recorded it, and its evidence. */
  private static void record(AccountBook book, Channel channel, String action, ChannelConsent after, String evidence) {
    List<ConsentChange> changes = new ArrayList<>(book.state().getConsentChanges());
    changes.add(new ConsentChange(channel.name(), action, after, book.context().occurredAt(), book.context().sourceEventId(),
        book.context().actor(), book.context().locationId(), evidence));
    if (changes.size() > CHANGES_KEPT) {
      changes.subList(0, changes.size() - CHANGES_KEPT).clear();
    }
    book.state().setConsentChanges(changes);
  }

  public static ChannelConsent consent(AccountState state, Channel channel) {
    return switch (channel) {
      case EMAIL -> state.getEmailConsent();
      case SMS -> state.getSmsConsent();
      case PUSH -> state.getPushConsent();
    };
  }

  /** Sets a contact address; a different address than before withdraws the consent given for the old one. */
  public static void changeAddress(AccountBook book, Channel channel, String address) {
    AccountState state = book.state();
    if (address == null || Objects.equals(address, Recipients.address(state, channel))) {
      return;
    }
    if (consent(state, channel) != ChannelConsent.NONE) {
      record(book, channel, ADDRESS_CHANGED, ChannelConsent.NONE, null);
    }
    if (channel == Channel.SMS) {
      state.setPhone(address);
    } else {
      state.setEmail(address);
    }
    set(state, channel, ChannelConsent.NONE);
  }

  private static void set(AccountState state, Channel channel, ChannelConsent consent) {
    switch (channel) {
      case EMAIL -> state.setEmailConsent(consent);
      case SMS -> state.setSmsConsent(consent);
      case PUSH -> state.setPushConsent(consent);
    }
  }
}
