package io.loyalty.notifications;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.Channel;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.HeldSms;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.notifications.Recipients.Recipient;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Addresses a message to channels. An SMS caused during quiet hours is held in the account and released by
 * timer when they end, so that a STOP received meanwhile still withdraws it: requests on the topic are always
 * ones the customer's consent allows at their send time.
 */
final class Dispatcher {
  private Dispatcher() {}

  static List<NotificationRequest> send(AccountState state, ProgramRules program, Message message, List<Recipient> recipients) {
    List<NotificationRequest> requests = new ArrayList<>();
    for (Recipient recipient : recipients) {
      Instant sendAfter = QuietHours.sendAfter(recipient.channel(), message.occurredAt(), program);
      Message addressed = recipient.channel() == Channel.SMS ? withOptOut(message, program) : message;
      if (sendAfter.isAfter(message.occurredAt())) {
        hold(state, addressed, sendAfter);
      } else {
        requests.add(request(state, recipient, addressed.idBase(), addressed.template(), addressed.variables(),
            addressed.occurredAt(), sendAfter, addressed.sourceEventIds()));
      }
    }
    return requests;
  }

  /**
   * Sends the SMS held until this time to the customer's current phone, where the condition still allows it,
   * with the variables that may be told then.
   */
  static List<NotificationRequest> release(AccountState state, Instant dueAt, Predicate<HeldSms> allowed,
      UnaryOperator<Map<String, String>> told) {
    List<NotificationRequest> requests = new ArrayList<>();
    List<HeldSms> stillHeld = new ArrayList<>();
    for (HeldSms held : state.getHeldSms()) {
      if (held.getSendAfter().isAfter(dueAt)) {
        stillHeld.add(held);
      } else if (allowed.test(held)) {
        requests.add(request(state, new Recipient(Channel.SMS, state.getPhone()), held.getRequestId(), held.getTemplate(),
            told.apply(held.getVariables()), held.getOccurredAt(), held.getSendAfter(), held.getSourceEventIds()));
      }
    }
    state.setHeldSms(stillHeld);
    return requests;
  }

  /** Every SMS tells how to stop them (TCPA, the CTIA messaging principles): the program's opt-out text. */
  private static Message withOptOut(Message message, ProgramRules program) {
    Map<String, String> variables = new LinkedHashMap<>(message.variables());
    variables.put("optOutText", program.config().getCompliance().getSmsOptOutText());
    return new Message(message.idBase(), message.template(), variables, message.occurredAt(), message.sourceEventIds(),
        message.marketing());
  }

  private static void hold(AccountState state, Message message, Instant sendAfter) {
    List<HeldSms> held = new ArrayList<>(state.getHeldSms());
    held.add(new HeldSms(message.idBase(), message.template(), message.variables(), message.occurredAt(), sendAfter,
        message.sourceEventIds(), message.marketing()));
    state.setHeldSms(held);
    Timers.schedule(state, TimerKind.SMS_RELEASE, Long.toString(sendAfter.toEpochMilli()), sendAfter);
  }

  private static NotificationRequest request(AccountState state, Recipient recipient, String idBase, String template,
      Map<String, String> variables, Instant occurredAt, Instant sendAfter, List<String> sourceEventIds) {
    return NotificationRequest.newBuilder()
        .setRequestId(idBase + "/" + recipient.channel())
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setChannel(recipient.channel())
        .setRecipient(recipient.address())
        .setTemplate(template)
        .setVariables(variables)
        .setOccurredAt(occurredAt)
        .setSendAfter(sendAfter)
        .setSourceEventIds(sourceEventIds)
        .build();
  }
}
