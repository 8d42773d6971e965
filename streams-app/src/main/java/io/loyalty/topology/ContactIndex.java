package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.ContactKeys;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ContactIndexEntry;
import io.loyalty.programs.ProgramRules;
import java.util.Objects;

/**
 * Keeps the contact index (loyalty.contact-index, read by every instance as a global store) in step with the
 * account's email and phone: a changed contact removes its old entry and adds the new one. The account remembers
 * the hashes it indexed, so an unchanged contact costs a hash and no write (and a changed contact.index.key
 * moves each account's entries at its next change).
 */
final class ContactIndex implements Reaction {
  private final Outbox outbox;
  private final Output<ContactIndexEntry> index;
  private final ContactKeys keys;

  ContactIndex(Outbox outbox, Output<ContactIndexEntry> index, ContactKeys keys) {
    this.outbox = outbox;
    this.index = index;
    this.keys = keys;
  }

  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    AccountState state = book.state();
    String email = keys.email(state.getOrganizationId(), state.getEmail());
    if (!Objects.equals(email, state.getIndexedEmail())) {
      move(accountKey, state, state.getIndexedEmail(), email, timestamp);
      state.setIndexedEmail(email);
    }
    String phone = keys.phone(state.getOrganizationId(), state.getPhone());
    if (!Objects.equals(phone, state.getIndexedPhone())) {
      move(accountKey, state, state.getIndexedPhone(), phone, timestamp);
      state.setIndexedPhone(phone);
    }
  }

  private void move(String accountKey, AccountState state, String from, String to, long timestamp) {
    if (from != null) {
      outbox.delete(index, from, timestamp);
    }
    if (to != null) {
      outbox.add(index, to, new ContactIndexEntry(accountKey, state.getCustomerId()), timestamp);
    }
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {}
}
