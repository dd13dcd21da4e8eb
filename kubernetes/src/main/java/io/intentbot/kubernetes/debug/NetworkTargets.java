package io.intentbot.kubernetes.debug;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The targets {@code kubernetes.network-check} accepts, checked before they become arguments of
 * {@code nslookup}, {@code nc} or {@code wget}: a host is a DNS name (RFC 1123 labels) or an IPv4
 * address, so it can never begin with {@code -} and be read as an option; a port is 1 to 65535; a
 * URL is http(s) with such a host.
 */
final class NetworkTargets {

  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private NetworkTargets() {}

  /** A DNS name or IPv4 address, as given. */
  static String host(String value) {
    if (!isHost(value)) {
      throw new IllegalArgumentException(
          "target '"
              + value
              + "' is not a host name or IPv4 address (letters, digits, '-' and '.', not"
              + " beginning with '-')");
    }
    return value;
  }

  /** {@code host:port}, as given. */
  static String hostPort(String value) {
    int colon = value.lastIndexOf(':');
    String port = colon < 0 ? "" : value.substring(colon + 1);
    if (colon <= 0 || !isHost(value.substring(0, colon)) || !isPort(port)) {
      throw new IllegalArgumentException(
          "tcp target '"
              + value
              + "' must be host:port (a host name or IPv4 address, port 1-65535)");
    }
    return value;
  }

  /** An http:// or https:// URL whose host is a host name or IPv4 address, as given. */
  static String url(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    String scheme =
        uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || !isHost(uri.getHost())
        || value.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException(
          "http target '" + value + "' must be an http:// or https:// URL with a host name");
    }
    return value;
  }

  private static boolean isHost(String value) {
    if (value.isEmpty() || value.length() > 253) {
      return false;
    }
    var ip = IPV4.matcher(value);
    if (ip.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(ip.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
    String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPort(String port) {
    if (!port.matches("\\d{1,5}")) {
      return false;
    }
    int n = Integer.parseInt(port);
    return n >= 1 && n <= 65535;
  }
}
