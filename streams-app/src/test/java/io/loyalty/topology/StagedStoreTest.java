package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A prefix scan sees the input's own writes merged in key order with what is committed, on a real RocksDB store. */
class StagedStoreTest {
  private final KeyValueStore<String, byte[]> rocks = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("scan-test"),
      Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
  private final StagedStore<String> staged = new StagedStore<>(rocks, value -> value.getBytes(StandardCharsets.UTF_8),
      bytes -> new String(bytes, StandardCharsets.UTF_8));

  private final Path stateDir;

  StagedStoreTest() throws IOException {
    stateDir = Files.createTempDirectory("staged-store-test");
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "staged-store-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
    rocks.init(context.getStateStoreContext(), rocks);
  }

  @AfterEach
  void close() throws IOException {
    rocks.close();
    Utils.delete(stateDir.toFile());
  }

  private List<String> scan(String prefix, int limit) {
    List<String> seen = new ArrayList<>();
    staged.scan(prefix, (key, value) -> {
      seen.add(key + "=" + value);
      return seen.size() < limit;
    });
    return seen;
  }

  @Test
  void stagedPutsAndDeletesAreMergedInKeyOrder() {
    for (String key : List.of("a|1", "a|3", "a|5", "ab|1", "b|1")) {
      staged.put(key, "old");
    }
    staged.commit();
    staged.put("a|2", "new");
    staged.put("a|3", "new");
    staged.delete("a|5");
    staged.put("a|6", "new");
    staged.put("c|1", "new");
    assertEquals(List.of("a|1=old", "a|2=new", "a|3=new", "a|6=new"), scan("a|", 10));
    assertEquals(List.of("a|1=old", "a|2=new"), scan("a|", 2), "a visit that stops early reads no further");
    staged.discard();
    assertEquals(List.of("a|1=old", "a|3=old", "a|5=old"), scan("a|", 10));
  }

  @Test
  void aDeletedFirstKeyAndStagedKeysAfterTheLastStoredOneAreHandled() {
    staged.put("a|1", "old");
    staged.commit();
    staged.delete("a|1");
    staged.put("a|9", "new");
    assertEquals(List.of("a|9=new"), scan("a|", 10));
  }

  /** A value staged with putLater is encoded once, when sealed, with every change made to it until then. */
  @Test
  void aValuePutLaterIsEncodedOnceWhenSealedAndReadBackDecoded() {
    List<String> encoded = new ArrayList<>();
    StagedStore<StringBuilder> records = new StagedStore<>(rocks, value -> {
      encoded.add(value.toString());
      return value.toString().getBytes(StandardCharsets.UTF_8);
    }, bytes -> new StringBuilder(new String(bytes, StandardCharsets.UTF_8)), 10);
    StringBuilder record = new StringBuilder("account");
    records.putLater("c1", record);
    record.append("+preferences");
    records.putLater("c1", record);
    assertEquals("account+preferences", records.get("c1").toString(), "the input reads its own value, decoded");
    records.seal();
    records.commit();
    assertEquals(List.of("account+preferences"), encoded);
    assertEquals("account+preferences", new String(rocks.get("c1"), StandardCharsets.UTF_8));

    // A value only read, then changed in place by an input that did not write it, is forgotten, not kept changed.
    records.get("c1").append("+changed in place");
    records.forget("c1");
    records.seal();
    records.commit();
    assertEquals("account+preferences", records.get("c1").toString());
  }
}
