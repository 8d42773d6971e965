package io.loyalty.bench;

import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.Directories;
import io.loyalty.runtime.StreamsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** One Kafka Streams application under measurement: time to drain its input, heap, state on disk, restore time. */
final class EngineRun implements AutoCloseable {
  private final AppConfig config;
  private final Topology topology;
  private final Path stateDir;
  private final AtomicInteger restoring = new AtomicInteger();
  private final AtomicLong restored = new AtomicLong();
  private KafkaStreams streams;

  EngineRun(AppConfig config, Topology topology) {
    this.config = config;
    this.topology = topology;
    this.stateDir = Path.of(config.get("kafka.state.dir"));
  }

  /** Starts the application and waits for RUNNING; returns the seconds that took. */
  double start() throws InterruptedException {
    long begin = System.nanoTime();
    streams = new KafkaStreams(topology, StreamsSettings.of(config));
    streams.setGlobalStateRestoreListener(new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
        restoring.incrementAndGet();
      }

      @Override
      public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long batch) {
        restored.addAndGet(batch);
      }

      @Override
      public void onRestoreEnd(TopicPartition partition, String store, long total) {
        restoring.decrementAndGet();
      }
    });
    streams.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING || restoring.get() > 0) {
      if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
        throw new IllegalStateException("application did not reach RUNNING: " + streams.state());
      }
      Thread.sleep(20);
    }
    return seconds(begin);
  }

  /** Seconds until every record of the topics is committed as processed. */
  double drain(List<String> topics) throws InterruptedException {
    long begin = System.nanoTime();
    ConsumerLag.awaitCaughtUp(config.kafkaProperties(), config.get("kafka.application.id"), topics, Duration.ofMinutes(60));
    return seconds(begin);
  }

  /**
   * Like {@link #drain}, and where the stream threads spent their time meanwhile: Kafka Streams records, per loop
   * of a thread, the share of it spent processing, punctuating, committing and polling; the mean of those shares
   * sampled every 100 ms tells whether the records' processing or the transactions around them cost the time.
   */
  double drain(List<String> topics, Map<String, Double> threadTime) throws InterruptedException {
    Map<String, double[]> sums = new TreeMap<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> streams.metrics().forEach((name, metric) -> {
      if (name.group().equals("stream-thread-metrics") && THREAD_SHARES.contains(name.name())
          && metric.metricValue() instanceof Double share && !share.isNaN()) {
        double[] sum = sums.computeIfAbsent(name.name(), any -> new double[2]);
        sum[0] += share;
        sum[1]++;
      }
    }), 100, 100, TimeUnit.MILLISECONDS);
    try {
      return drain(topics);
    } finally {
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      sums.forEach((name, sum) -> threadTime.put(name, Math.round(sum[0] / sum[1] * 1000) / 1000.0));
    }
  }

  private static final Set<String> THREAD_SHARES = Set.of("process-ratio", "punctuate-ratio", "commit-ratio", "poll-ratio");

  KafkaStreams streams() {
    return streams;
  }

  long restoredRecords() {
    return restored.get();
  }

  /**
   * Bytes of local state on disk per store over all tasks: the directory under a task's ({@code <app>/<task>/rocksdb/<store>} or,
   * for segmented stores, {@code <app>/<task>/<store>}); files outside a task's stores count as "other". RocksDB holds recent writes in memtables until
   * a flush, so call after close.
   */
  Map<String, Long> stateBytesByStore() {
    Map<String, Long> bytes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.filter(Files::isRegularFile).forEach(file -> bytes.merge(storeOf(stateDir.relativize(file)), file.toFile().length(), Long::sum));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  private static String storeOf(Path relative) {
    int store = relative.getNameCount() > 3 && relative.getName(2).toString().equals("rocksdb") ? 3 : 2;
    return relative.getNameCount() > store + 1 ? relative.getName(store).toString() : "other";
  }

  /** Closes the application and deletes its local state, as a lost disk would. */
  void closeAndWipe() {
    close();
    Directories.deleteRecursively(stateDir);
  }

  /** Leaves the group on close, so that a successor gets the tasks at once rather than after a session timeout. */
  @Override
  public void close() {
    if (streams != null) {
      streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofSeconds(60)));
      streams = null;
    }
  }

  static void resetPeakHeap() {
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** Sum of the heap pools' peaks since the reset: an upper bound of the peak heap in use. */
  static long peakHeapBytes() {
    return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }

  /** Heap still in use after a full collection: what the application holds. */
  static long liveHeapBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
  }

  private static double seconds(long begin) {
    return (System.nanoTime() - begin) / 1e9;
  }
}
