package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;
import io.loyalty.segments.SegmentsChanged;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReactionOrderTest {
  private record Declared(Set<Class<?>> posts, Set<Class<?>> reads) implements Reaction {
    @Override
    public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {}
  }

  private static final Reaction POSTER = new Declared(Set.of(SegmentsChanged.class), Set.of());
  private static final Reaction READER = new Declared(Set.of(), Set.of(SegmentsChanged.class));

  @Test
  void aCapabilityThatReadsASignalRunsAfterTheOneThatPostsIt() {
    assertEquals(List.of(POSTER, READER), Reaction.inDeclaredOrder(List.of(POSTER, READER)));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Reaction.inDeclaredOrder(List.of(READER, POSTER)));
    assertEquals("Declared reads SegmentsChanged, which no capability before it posts: reorder the capabilities", refused.getMessage());
    assertThrows(IllegalStateException.class, () -> Reaction.inDeclaredOrder(List.of(READER)));
  }
}
