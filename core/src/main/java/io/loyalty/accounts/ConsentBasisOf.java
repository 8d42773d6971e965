package io.loyalty.accounts;

import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ConsentChange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an account's consent rests on, read from the consent changes it keeps (for the profile and the exports). */
public final class ConsentBasisOf {
  private ConsentBasisOf() {}

  /**
   * Each channel's last recorded change, channels in name order; none for a channel never changed since changes were
   * recorded, and nothing built for the many accounts that never changed one (the profile asks on every change).
   */
  public static List<ConsentChange> lastChangePerChannel(AccountState state) {
    if (state.getConsentChanges().isEmpty()) {
      return List.of();
    }
    Map<String, ConsentChange> last = new TreeMap<>();
    state.getConsentChanges().forEach(change -> last.put(change.getChannel(), change));
    return List.copyOf(last.values());
  }
}
