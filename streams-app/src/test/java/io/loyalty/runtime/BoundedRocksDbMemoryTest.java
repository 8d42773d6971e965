package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

class BoundedRocksDbMemoryTest {
  @Test
  void theCompressionIsNamedAsRocksDbNamesItAndAnUnknownNameStopsTheStart() {
    assertEquals(CompressionType.LZ4_COMPRESSION, BoundedRocksDbMemory.compression("lz4"));
    assertEquals(CompressionType.ZSTD_COMPRESSION, BoundedRocksDbMemory.compression("zstd"));
    assertEquals(CompressionType.NO_COMPRESSION, BoundedRocksDbMemory.compression("none"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> BoundedRocksDbMemory.compression("lz5"));
    assertEquals("rocksdb.compression: unknown compression lz5 (none, snappy, z, lz4, lz4hc, zstd)", unknown.getMessage());
  }
}
