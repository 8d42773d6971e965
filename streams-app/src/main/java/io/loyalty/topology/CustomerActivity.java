package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.state.AccountState;
import io.loyalty.engagement.EngagementRules;
import io.loyalty.notifications.ConsentRules;
import io.loyalty.programs.ProgramRules;

/**
 * Activity outside the POS (loyalty.activity): folds each report into the customer's engagement summary
 * (its slice of the customer record) and shows it on the profile. An unsubscribe reported by a messaging provider revokes that
 * channel's consent at once, as a STOP does: the engine must not message on a channel the customer left,
 * whoever heard them leave. Purchases are not written here: a purchase closes the cart it follows because the
 * cart is open only while no purchase came after its last update (EngagementRules.cartOpen).
 */
final class CustomerActivity implements Reaction {
  private final Stored<Engagement> engagements;

  CustomerActivity(Stored<Engagement> engagements) {
    this.engagements = engagements;
  }

  @Override
  public void observed(String accountKey, ActivityEvent event, AccountBook book, ProgramRules program, long timestamp) {
    Engagement stored = engagements.get(accountKey);
    Engagement engagement = stored == null ? EngagementRules.empty() : stored;
    EngagementRules.apply(engagement, event);
    if (event.getType() == ActivityType.MESSAGE_UNSUBSCRIBED) {
      ConsentRules.change(book, new ChangeConsent(event.getChannel(), ConsentAction.REVOKE,
          "unsubscribed, reported by " + (event.getSource() == null ? "the messaging provider" : event.getSource())));
    }
    engagements.put(accountKey, engagement);
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {
    Engagement engagement = engagements.get(accountKey);
    if (engagement == null) {
      return;
    }
    engagement.setCartOpen(EngagementRules.cartOpen(engagement, state.getLastPurchaseAt()));
    profile.setEngagement(engagement);
  }
}
