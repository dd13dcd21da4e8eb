package io.intentbot.engine.internal;

import java.net.InetAddress;
import java.util.UUID;

/** Ids of engine processes: the host name (for people) and a random part (for uniqueness). */
final class ProcessIds {

  private ProcessIds() {}

  static String next() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
