package io.loyalty.topology;

import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a key lives: the instance of its active task (null while the group rebalances) and those of its standby
 * replicas, which may answer a read that accepts a stale copy.
 */
public record Placement(HostInfo active, Set<HostInfo> standbys, int partition) {}
