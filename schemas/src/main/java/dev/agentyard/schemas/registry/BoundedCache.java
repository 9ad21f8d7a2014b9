package dev.agentyard.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe LRU map: enough for schema caches, which are tiny and read-mostly. */
final class BoundedCache<K, V> {

  private final Map<K, V> map;

  BoundedCache(int maxEntries) {
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * Returns the cached value or loads it. The loader runs outside the lock so a slow registry call
   * does not block readers of other keys; two concurrent misses may both load, which is harmless.
   */
  V get(K key, Function<K, V> loader) {
    synchronized (map) {
      V v = map.get(key);
      if (v != null) {
        return v;
      }
    }
    V loaded = loader.apply(key);
    synchronized (map) {
      map.put(key, loaded);
    }
    return loaded;
  }

  V getIfPresent(K key) {
    synchronized (map) {
      return map.get(key);
    }
  }
}
