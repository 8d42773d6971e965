package io.loyalty.api;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes of the API: a command goes to loyalty.commands like any caller's, and the answer is the matching
 * record of loyalty.command-results, read committed by this instance from the moment it started (whatever
 * instance applied it). Each instance reads every result partition: results are few, and the instance that
 * took the request is the one waiting.
 *
 * <p>A result answers a request only if it is not older than the request's own command record: a result is
 * written after its command, and carries either the command's timestamp (topics with CreateTime: the engine
 * forwards with the input's) or a later append time (LogAppendTime, as the engine creates its topics). So a
 * retry of a command id is answered by its own result (DUPLICATE), not by the first attempt's, which this
 * instance may read only now.
 */
final class CommandGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandGateway.class);

  private final Topics topics;
  private final RecordPublisher publisher;
  private final KafkaConsumer<byte[], byte[]> results;
  private final AvroCodec<CommandResult> codec;
  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean closed;

  CommandGateway(Properties clientProperties, Topics topics, SerdeFactory serdes) {
    this.topics = topics;
    this.publisher = new RecordPublisher(clientProperties, serdes);
    this.codec = serdes.codec(CommandResult.class);
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.results = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = results.partitionsFor(topics.commandResults()).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    results.assign(partitions);
    results.seekToEnd(partitions);
    // Resolve the end offsets now: a result written after this point is never missed.
    partitions.forEach(results::position);
    this.reader = new Thread(this::read, "loyalty-api-results");
    reader.setDaemon(true);
    reader.start();
  }

  /** Publishes a program version to loyalty.programs, waiting for the broker's acknowledgement. */
  void publishProgram(ProgramConfig program, Duration timeout) throws InterruptedException {
    try {
      publisher.publish(TopicContract.of(topics, topics.programs()), program).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("program " + program.getOrganizationId() + "/" + program.getVersion() + " not published", e);
    }
  }

  /** Publishes the command; its result if it comes within the timeout, empty if not (the command still stands). */
  Optional<CommandResult> submit(LoyaltyCommand command, Duration timeout) throws InterruptedException {
    String key = key(io.loyalty.accounts.AccountKey.of(command.getOrganizationId(), command.getCustomerId()), command.getCommandId());
    Waiter result = new Waiter();
    waiting.put(key, result);
    try {
      result.sentAt(publisher.publish(TopicContract.of(topics, topics.commands()), command)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).timestamp());
      return Optional.of(result.answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the command could not be published", e.getCause());
    } finally {
      waiting.remove(key, result);
    }
  }

  private void read() {
    try {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(100))) {
          CommandResult result;
          try {
            result = codec.decode(record.value());
          } catch (DecodeException e) {
            continue;
          }
          Waiter waiter = waiting.get(key(result.getAccountKey(), result.getCommandId()));
          if (waiter != null) {
            waiter.offer(record.timestamp(), result);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("the API stopped reading command results; writes answer 202 until a restart", e);
    } finally {
      results.close();
    }
  }

  /** One request's wait: results of its command id are kept until the timestamp of its own record is known. */
  private static final class Waiter {
    private record Offered(long timestamp, CommandResult result) {}

    final CompletableFuture<CommandResult> answer = new CompletableFuture<>();
    private final List<Offered> early = new ArrayList<>();
    private long timestamp = -1;

    synchronized void offer(long resultTimestamp, CommandResult result) {
      if (timestamp < 0) {
        early.add(new Offered(resultTimestamp, result));
      } else if (resultTimestamp >= timestamp) {
        answer.complete(result);
      }
    }

    synchronized void sentAt(long commandTimestamp) {
      timestamp = commandTimestamp;
      early.stream().filter(offered -> offered.timestamp() >= commandTimestamp).findFirst()
          .ifPresent(offered -> answer.complete(offered.result()));
      early.clear();
    }
  }

  private static String key(String accountKey, String commandId) {
    return accountKey + "\n" + commandId;
  }

  @Override
  public void close() {
    closed = true;
    results.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
  }
}
