package io.loyalty.holdouts;

import io.loyalty.accounts.Sha256;
import java.nio.ByteBuffer;

/**
 * Who a campaign keeps as its control group: the first 8 bytes of SHA-256 over the account key and the campaign's
 * name, as a number from 0 to 99, below the campaign's percent. The same customers on every replay and instance;
 * independent between campaigns; raising the percent only adds customers to the group.
 */
public final class ControlGroup {
  private ControlGroup() {}

  public static boolean contains(String accountKey, String campaign, int percent) {
    if (percent <= 0) {
      return false;
    }
    return Long.remainderUnsigned(ByteBuffer.wrap(Sha256.of(accountKey + "\n" + campaign)).getLong(), 100) < percent;
  }
}
