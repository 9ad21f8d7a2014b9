package dev.agentyard.schemas.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * Caches a registry client both ways, bounded: schema to id per subject, and id to schema. Ids
 * never change once assigned, so those entries never expire; the latest version of a subject
 * expires after {@code latest.cache.ttl.sec} (never, when negative).
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

  private record Latest(RegisteredSchema schema, Instant fetchedAt) {}

  private final SchemaRegistryClient delegate;
  private final int maxPerSubject;
  private final long latestTtlSec;
  private final Clock clock;
  private final ConcurrentMap<String, BoundedCache<Schema, Integer>> registered =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, BoundedCache<Schema, Integer>> lookedUp =
      new ConcurrentHashMap<>();
  private final BoundedCache<Integer, Schema> byId;
  private final ConcurrentMap<String, Latest> latest = new ConcurrentHashMap<>();

  public CachedSchemaRegistryClient(
      SchemaRegistryClient delegate, int maxPerSubject, long latestTtlSec, Clock clock) {
    this.delegate = delegate;
    this.maxPerSubject = maxPerSubject;
    this.latestTtlSec = latestTtlSec;
    this.clock = clock;
    // Ids are global; a process sees few subjects, so ten subjects' worth is plenty.
    this.byId = new BoundedCache<>(Math.max(maxPerSubject, 1) * 10);
  }

  @Override
  public int register(String subject, Schema schema) {
    return cacheFor(registered, subject)
        .get(
            schema,
            s -> {
              int id = delegate.register(subject, s);
              byId.get(id, i -> s);
              return id;
            });
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    BoundedCache<Schema, Integer> reg = registered.get(subject);
    Integer known = reg == null ? null : reg.getIfPresent(schema);
    if (known != null) {
      return known; // a schema we registered is known to exist under this subject
    }
    return cacheFor(lookedUp, subject)
        .get(
            schema,
            s -> {
              int id = delegate.lookupId(subject, s);
              byId.get(id, i -> s);
              return id;
            });
  }

  @Override
  public Schema getById(int id) {
    return byId.get(id, delegate::getById);
  }

  @Override
  public RegisteredSchema latestVersion(String subject) {
    Latest cached = latest.get(subject);
    Instant now = clock.instant();
    if (cached != null
        && (latestTtlSec < 0 || cached.fetchedAt().plusSeconds(latestTtlSec).isAfter(now))) {
      return cached.schema();
    }
    RegisteredSchema fresh = delegate.latestVersion(subject);
    latest.put(subject, new Latest(fresh, now));
    byId.get(fresh.id(), i -> fresh.schema());
    return fresh;
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return delegate.isCompatible(subject, schema);
  }

  @Override
  public void setCompatibility(Optional<String> subject, CompatibilityLevel level) {
    delegate.setCompatibility(subject, level);
  }

  @Override
  public CompatibilityLevel getCompatibility(Optional<String> subject) {
    return delegate.getCompatibility(subject);
  }

  @Override
  public List<String> subjects() {
    return delegate.subjects();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private BoundedCache<Schema, Integer> cacheFor(
      ConcurrentMap<String, BoundedCache<Schema, Integer>> caches, String subject) {
    return caches.computeIfAbsent(subject, s -> new BoundedCache<>(maxPerSubject));
  }
}
