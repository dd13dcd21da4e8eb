package io.intentbot.engine.internal;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * Ids of engine processes: {@code pid@host-random}, the operating-system process id and the host
 * name (for people, and so that a process on the same host can tell whether the process is still
 * there) and a random part (for uniqueness). Ids from before the pid was added are {@code
 * host-random}.
 */
final class ProcessIds {

  private static final String HOST = host();

  private ProcessIds() {}

  static String next() {
    return ProcessHandle.current().pid()
        + "@"
        + HOST
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The operating-system process of {@code processId} when it ran on this host, else empty. */
  static Optional<Long> localPid(String processId) {
    int at = processId.indexOf('@');
    int random = processId.lastIndexOf('-');
    if (at <= 0 || random <= at || !processId.substring(at + 1, random).equals(HOST)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(processId.substring(0, at)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String host() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    return host.length() > 40 ? host.substring(0, 40) : host;
  }
}
