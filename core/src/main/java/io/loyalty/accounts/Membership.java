package io.loyalty.accounts;

import io.loyalty.avro.MembershipStatus;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;

/**
 * Whether a customer is a member under a program: enrolled members are; customers who opted out are not;
 * everyone else is a member only in automatic programs. Switching a program to opt-in hides the points of
 * customers who never enrolled; it does not delete them.
 */
public final class Membership {
  private Membership() {}

  public static MembershipStatus status(AccountState state, ProgramRules program) {
    return switch (state.getEnrollment()) {
      case ENROLLED -> MembershipStatus.MEMBER;
      case OPTED_OUT -> MembershipStatus.OPTED_OUT;
      case NONE -> program.automaticEnrollment() ? MembershipStatus.MEMBER : MembershipStatus.NOT_ENROLLED;
    };
  }

  public static boolean isMember(AccountState state, ProgramRules program) {
    return status(state, program) == MembershipStatus.MEMBER;
  }
}
