package io.loyalty.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Writes the broker refused after an input was processed (a record larger than a topic's max.message.bytes lowered
 * while the engine runs, a broker policy), remembered by the process across the retry they cause.
 *
 * <p>Under exactly-once a refused write aborts the whole transaction: the stream thread stops, its replacement
 * reads the task's inputs again from the last commit, and the same input would be refused again for ever. The
 * production error handler cannot tell which input wrote the refused record (it is called back after the stream
 * thread moved on). A record refused for its size teaches the write budget the topic's real limit ({@link
 * #learnedRecordBytes}): on the retry the budget refuses the input that writes it before anything is sent. Any
 * other refusal marks the task as suspect: its account path then notes the fingerprint of every record each input
 * writes ({@link TaskWrites#wrote}), so the next refusal names its input exactly, and from then on that input is
 * rejected whole ({@link TaskWrites#poisoned}). One retry per refused size and process, two for any other refusal, none for
 * what the write budget ({@link WriteBudget}) knows beforehand; each retry costs a rebalance of the group.
 */
public final class RefusedWrites {
  /** Inputs a suspect task notes before it is trusted again: well past any transaction the refusal aborted. */
  static final int SUSPECT_INPUTS = 10_000;
  /** Fingerprints a suspect task keeps at most, the oldest forgotten first. */
  private static final int JOURNAL_CAPACITY = 200_000;

  private static final ConcurrentMap<String, Task> TASKS = new ConcurrentHashMap<>();
  /** The largest record the broker is known to take, by application and topic, learned from refusals. */
  private static final ConcurrentMap<String, Integer> LEARNED_RECORD_BYTES = new ConcurrentHashMap<>();

  /** What a refusal of the production error handler told. */
  public enum Outcome {
    /** The writing input is known: it will be rejected when its task reads it again. */
    INPUT_IDENTIFIED,
    /** The record was too large for its topic: the write budget now knows the topic's limit. */
    LIMIT_LEARNED,
    /** The task will note what its inputs write, to know it at the next refusal. */
    TASK_SUSPECT,
    /** A suspect task's journal does not hold the record (a store the account path does not stage). */
    NOT_IDENTIFIED,
    /**
     * Not the broker's answer to this record: after one refusal the producer fails every other write of the
     * transaction with the same exception. Only the first refusal since the task started tells anything.
     */
    FOLLOWS_A_REFUSAL
  }

  /** An input, or one timer firing of a tick ({@code unit} is then the timer's key). */
  record Source(String topic, int partition, long offset, String unit) {}

  private static final class Task {
    /** Whether a write was refused since the task (re)started: its later refusals only follow from it. */
    private boolean refusedSinceStart;
    /** Read on every input without a lock: written only under the task's lock. */
    private volatile boolean suspect;
    private int inputsLeft;
    private final Map<Long, Source> journal = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Source> eldest) {
        return size() > JOURNAL_CAPACITY;
      }
    };
    private final Map<Source, String> poisoned = new ConcurrentHashMap<>();
  }

  private RefusedWrites() {}

  /** Called by the production error handler for a record the broker refused. */
  public static Outcome refused(String applicationId, TaskId taskId, String topic, byte[] key, byte[] value, Exception exception) {
    Task task = TASKS.computeIfAbsent(applicationId + "/" + taskId, name -> new Task());
    synchronized (task) {
      if (task.refusedSinceStart) {
        return Outcome.FOLLOWS_A_REFUSAL;
      }
      task.refusedSinceStart = true;
      if (exception instanceof RecordTooLargeException) {
        int refusedBytes = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        LEARNED_RECORD_BYTES.merge(applicationId + "/" + topic, refusedBytes - 1, Math::min);
        return Outcome.LIMIT_LEARNED;
      }
      Source source = task.journal.get(fingerprint(topic, key, value));
      if (source != null) {
        task.poisoned.put(source, "the broker refused what it wrote (" + exception.getClass().getSimpleName() + " on " + topic
            + "); nothing of it was applied");
        task.suspect = false;
        task.journal.clear();
        return Outcome.INPUT_IDENTIFIED;
      }
      if (task.suspect) {
        return Outcome.NOT_IDENTIFIED;
      }
      task.suspect = true;
      task.inputsLeft = SUSPECT_INPUTS;
      return Outcome.TASK_SUSPECT;
    }
  }

  /** The largest record of the topic the broker took since it refused a larger one, if it refused any. */
  static Optional<Integer> learnedRecordBytes(String applicationId, String topic) {
    return Optional.ofNullable(LEARNED_RECORD_BYTES.get(applicationId + "/" + topic));
  }

  /** What the task's processors ask and tell of refused writes, looked up once when they start. */
  static TaskWrites of(ProcessorContext<?, ?> context) {
    return new TaskWrites(TASKS.computeIfAbsent(context.applicationId() + "/" + context.taskId(), name -> new Task()), context);
  }

  /** One task's refused writes, as its processors see them. */
  static final class TaskWrites {
    private final Task task;
    private final ProcessorContext<?, ?> context;

    private TaskWrites(Task task, ProcessorContext<?, ?> context) {
      this.task = task;
      this.context = context;
    }

    /** The account path of the task starts (again): a refusal from now on is the broker's answer to this run. */
    void started() {
      synchronized (task) {
        task.refusedSinceStart = false;
      }
    }

    /** Why the current input (or timer of a tick) is rejected without being applied, when the broker refused what it wrote. */
    Optional<String> poisoned(String unit) {
      return task.poisoned.isEmpty() ? Optional.empty() : Optional.ofNullable(task.poisoned.get(source(context, unit)));
    }

    /** Whether the task is suspect: then each record the current input writes is to be noted. */
    boolean noting() {
      return task.suspect;
    }

    void wrote(String unit, String topic, Object key, byte[] value) {
      byte[] keyBytes = key instanceof byte[] bytes ? bytes : key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8);
      synchronized (task) {
        task.journal.put(fingerprint(topic, keyBytes, value), source(context, unit));
      }
    }

    /** One input noted: after {@link #SUSPECT_INPUTS} without a refusal the task is trusted again. */
    void inputDone() {
      synchronized (task) {
        if (task.suspect && --task.inputsLeft <= 0) {
          task.suspect = false;
          task.journal.clear();
        }
      }
    }
  }

  private static Source source(ProcessorContext<?, ?> context, String unit) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow();
    return new Source(metadata.topic(), metadata.partition(), metadata.offset(), unit);
  }

  private static long fingerprint(String topic, byte[] key, byte[] value) {
    long first = 31L * topic.hashCode() + Arrays.hashCode(key);
    return first << 32 ^ (Arrays.hashCode(value) & 0xffffffffL);
  }
}
