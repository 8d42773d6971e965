package io.loyalty.topology;

import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/** Makes a task's reactions over its staged stores; the topology decides which capabilities react. */
@FunctionalInterface
interface Reactions {
  List<Reaction> of(ProcessorContext<Object, Object> context, Staging staging);
}
