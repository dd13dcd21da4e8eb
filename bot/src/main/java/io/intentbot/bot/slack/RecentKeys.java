package io.intentbot.bot.slack;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers the last {@code capacity} keys seen, to do nothing the second time a request comes. */
final class RecentKeys {

  private final Map<String, Boolean> seen;

  RecentKeys(int capacity) {
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time a key is offered; false for a key seen before (or a null key: never). */
  synchronized boolean firstTime(String key) {
    if (key == null || key.isBlank()) {
      return true;
    }
    return seen.put(key, Boolean.TRUE) == null;
  }
}
