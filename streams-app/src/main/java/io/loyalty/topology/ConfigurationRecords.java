package io.loyalty.topology;

import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * A compacted configuration topic read into a global store (programs, the catalog): how its records decode,
 * what they must be, and how the loader and the checks application speak of them.
 *
 * @param check what a record must be under its key (a violation names the field, never its value)
 * @param organization a record's organization, for its rejection
 * @param refused what happens to a refused record, after its key ("not put in force", "left out")
 * @param removeRefused whether a refused record removes what its key held (a product the catalog tried to change),
 *     or leaves it (a program version stays in force)
 * @param loaded how the log tells a record put in the store, or null to tell nothing (one line per product would
 *     drown the log)
 */
record ConfigurationRecords<T extends SpecificRecord>(String store, AvroCodec<T> codec, BiFunction<String, T, Optional<Violation>> check,
    Function<T, String> organization, String noun, String refused, boolean removeRefused, Function<T, String> loaded,
    String metric, String metricDescription) {}
