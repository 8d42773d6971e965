package io.loyalty.segments;

import java.util.List;

/** The segments an account entered and left in the change under way (posted by the segments capability). */
public record SegmentsChanged(List<String> entered, List<String> exited) {
  public static final SegmentsChanged NONE = new SegmentsChanged(List.of(), List.of());
}
