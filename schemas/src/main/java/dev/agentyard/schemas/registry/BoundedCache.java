package dev.agentyard.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A small thread-safe LRU map: enough for schema caches, which are tiny and read-mostly. */
final class BoundedCache<K, V> {

  private final Map<K, V> map;
  private final ConcurrentHashMap<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();

  BoundedCache(int maxEntries) {
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * Returns the cached value or loads it. The loader runs outside the lock so a slow registry call
   * does not block readers of other keys, and only once per key at a time: concurrent misses on the
   * same key wait for the one load (a worker starting with hundreds of tasks in flight must not
   * send the registry hundreds of identical registrations).
   */
  V get(K key, Function<K, V> loader) {
    synchronized (map) {
      V v = map.get(key);
      if (v != null) {
        return v;
      }
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> inProgress = loading.putIfAbsent(key, mine);
    if (inProgress != null) {
      try {
        return inProgress.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      V loaded = loader.apply(key);
      synchronized (map) {
        map.put(key, loaded);
      }
      mine.complete(loaded);
      return loaded;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(key, mine);
    }
  }

  V getIfPresent(K key) {
    synchronized (map) {
      return map.get(key);
    }
  }
}
