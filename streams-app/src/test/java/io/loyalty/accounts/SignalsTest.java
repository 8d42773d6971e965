package io.loyalty.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.segments.SegmentsChanged;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignalsTest {
  @Test
  void aSignalIsReadByItsTypeAndAnUnpostedOneIsEmpty() {
    Signals signals = new Signals();
    assertEquals(Optional.empty(), signals.get(SegmentsChanged.class));
    SegmentsChanged changed = new SegmentsChanged(List.of("vip"), List.of("new"));
    signals.post(changed);
    assertEquals(Optional.of(changed), signals.get(SegmentsChanged.class));
    assertEquals(Optional.empty(), signals.get(String.class));
  }
}
