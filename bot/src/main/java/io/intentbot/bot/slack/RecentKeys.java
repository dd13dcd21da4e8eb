package io.intentbot.bot.slack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the last {@code capacity} keys seen in this process, to do nothing the second time a
 * request comes; what {@link ReplayKeyStore} falls back on while the database cannot be reached.
 */
final class RecentKeys implements ReplayKeys {

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

  @Override
  public synchronized boolean firstTime(List<String> keys) {
    boolean first = true;
    for (String key : ReplayKeys.present(keys)) {
      first &= seen.put(key, Boolean.TRUE) == null;
    }
    return first;
  }
}
