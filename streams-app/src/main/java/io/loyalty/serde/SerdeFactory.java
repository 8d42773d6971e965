package io.loyalty.serde;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One place that decides the wire format: a configured registry means the Confluent framing, none means
 * single-object encoding. Readers accept both either way, so a deployment can switch without a flag day.
 */
public final class SerdeFactory {
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;
  private final Map<Class<?>, AvroSerde<?>> serdes = new ConcurrentHashMap<>();

  private SerdeFactory(SchemaRegistryClient registry, boolean autoRegister) {
    this.registry = registry;
    this.autoRegister = autoRegister;
  }

  public static SerdeFactory singleObject() {
    return new SerdeFactory(null, false);
  }

  public static SerdeFactory withRegistry(RegistrySettings settings) {
    return new SerdeFactory(new SchemaRegistryClient(settings), settings.autoRegister());
  }

  public static SerdeFactory of(Optional<RegistrySettings> registry) {
    return registry.map(SerdeFactory::withRegistry).orElseGet(SerdeFactory::singleObject);
  }

  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type) {
    return (AvroSerde<T>) serdes.computeIfAbsent(type,
        t -> new AvroSerde<>(new AvroCodec<T>(schemaOf(type), registry, autoRegister)));
  }

  public <T extends SpecificRecord> AvroCodec<T> codec(Class<T> type) {
    return serde(type).codec();
  }

  private static Schema schemaOf(Class<?> type) {
    return SpecificData.get().getSchema(type);
  }
}
