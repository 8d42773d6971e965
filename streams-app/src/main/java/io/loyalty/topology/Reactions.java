package io.loyalty.topology;

import java.util.List;

/** Makes a task's reactions over its staged stores; the topology decides which capabilities react. */
@FunctionalInterface
interface Reactions {
  List<Reaction> of(Staging staging, Counters counters);

  /** The operator's counters of what the reactions suppress; a read-only view counts nothing and never asks. */
  @FunctionalInterface
  interface Counters {
    EngineCounter counter(String name, String description);
  }
}
