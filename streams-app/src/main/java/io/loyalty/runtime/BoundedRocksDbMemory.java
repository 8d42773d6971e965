package io.loyalty.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of this process together: one LRU block cache, which also
 * holds index and filter blocks, and a write-buffer manager that charges memtables to that same cache. Without
 * it each store (one per task and store, so dozens per instance) takes its own cache and memtables, and memory
 * grows with the partition count. Sizes come from rocksdb.memory.bytes and rocksdb.write.buffer.ratio.
 *
 * <p>Kafka Streams leaves RocksDB's blocks uncompressed; the engine's values are Avro records full of repeated ids,
 * SKUs and category names, so rocksdb.compression (LZ4 by default) about halves the state on disk for little CPU.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
  private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
  private static final long MEMTABLE_BYTES = 16L * 1024 * 1024;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static CompressionType compression;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    shared(configs);
    BlockBasedTableConfigWithAccessibleCache table = (BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(writeBufferManager);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
    options.setCompressionType(compression);
  }

  /** The cache and manager are shared by every store of the process, so they are created once and never closed. */
  private static synchronized void shared(Map<String, Object> configs) {
    if (cache == null) {
      AppConfig settings = AppConfig.fromStreamsConfigs(configs);
      long total = Long.parseLong(settings.get("rocksdb.memory.bytes"));
      // A share of a byte budget, not money or points: a double is exact enough.
      double writeRatio = Double.parseDouble(settings.get("rocksdb.write.buffer.ratio"));
      cache = new LRUCache(total, -1, false, INDEX_FILTER_BLOCK_RATIO);
      writeBufferManager = new WriteBufferManager((long) (total * writeRatio), cache);
      compression = compression(settings.get("rocksdb.compression"));
    }
  }

  /** RocksDB's library name of a compression (none, snappy, lz4, zstd...), refused at start when unknown. */
  static CompressionType compression(String name) {
    if (name.equals("none")) {
      return CompressionType.NO_COMPRESSION;
    }
    CompressionType type = CompressionType.getCompressionType(name);
    if (type == CompressionType.NO_COMPRESSION) {
      throw new IllegalArgumentException("rocksdb.compression: unknown compression " + name + " (none, snappy, z, lz4, lz4hc, zstd)");
    }
    return type;
  }

  @Override
  public void close(String storeName, Options options) {
    // Shared with the other stores: see shared().
  }
}
