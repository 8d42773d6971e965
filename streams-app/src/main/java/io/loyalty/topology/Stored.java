package io.loyalty.topology;

/**
 * What a capability reads and writes its per-customer state through, staged until its input commits: a store of
 * its own ({@link StagedStore}) or its slice of the customer record ({@link CustomerRecords}).
 */
interface Stored<V> {
  V get(String key);

  void put(String key, V value);

  void delete(String key);
}
