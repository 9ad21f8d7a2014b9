package dev.agentyard.bench.micro;

import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.bench.Workload;
import dev.agentyard.schemas.registry.CachedSchemaRegistryClient;
import dev.agentyard.schemas.registry.InMemorySchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Our registry-aware serializer and deserializer per record against Avro's own binary encoder and
 * decoder on the same record: what the wire format (magic byte, schema id, registry cache lookup)
 * and the Kafka Serde wrapping cost on top of Avro itself. The registry is the production caching
 * client in front of an in-memory store instead of REST: after the first record only its cache is
 * hit, so a remote registry would add nothing per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

  /**
   * task: a loan-application document task (~2-4 KB); usage: one model call's usage event (~250 B).
   */
  @Param({"task", "usage"})
  public String record;

  private SpecificRecord value;
  private Serializer<SpecificRecord> ours;
  private Deserializer<SpecificRecord> oursReader;
  private byte[] oursBytes;
  private SpecificDatumWriter<SpecificRecord> writer;
  private SpecificDatumReader<SpecificRecord> reader;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;
  private byte[] rawBytes;
  private String topic;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws IOException {
    // the production stack: the caching client in front of the registry (here in memory instead of
    // REST)
    SchemaRegistryClient registry =
        new CachedSchemaRegistryClient(
            new InMemorySchemaRegistryClient(), 1000, 300, Clock.systemUTC());
    Class<? extends SpecificRecord> type;
    if (record.equals("task")) {
      value = Workload.tasks(1, 1).get(0);
      type = TaskSubmitted.class;
      topic = "agent.tasks.v1";
    } else {
      value = Workload.usage(1, 1).get(0);
      type = ModelUsage.class;
      topic = "agent.usage.v1";
    }
    Serde<SpecificRecord> serde =
        (Serde<SpecificRecord>)
            (Serde<?>) AvroSerde.specific(type, registry, Map.of("schema.registry.url", "mem://"));
    ours = serde.serializer();
    oursReader = serde.deserializer();
    oursBytes = ours.serialize(topic, new RecordHeaders(), value);
    writer = new SpecificDatumWriter<>(value.getSchema());
    reader = new SpecificDatumReader<>(value.getSchema());
    rawBytes = rawSerialize();
  }

  @Benchmark
  public byte[] serializeOurs() {
    return ours.serialize(topic, new RecordHeaders(), value);
  }

  @Benchmark
  public byte[] serializeRawAvro() throws IOException {
    return rawSerialize();
  }

  @Benchmark
  public Object deserializeOurs() {
    return oursReader.deserialize(topic, new RecordHeaders(), oursBytes);
  }

  @Benchmark
  public Object deserializeRawAvro() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(rawBytes, decoder);
    return reader.read(null, decoder);
  }

  private byte[] rawSerialize() throws IOException {
    out.reset();
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    writer.write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
