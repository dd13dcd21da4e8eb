package io.intentbot.engine.steps;

import io.intentbot.engine.config.IntentbotConfig;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses the {@code http} step may reach. Loopback, link-local (where cloud metadata
 * services answer, 169.254.169.254), unspecified, multicast and the known metadata addresses
 * ({@code fd00:ec2::254}, {@code 100.100.100.200}) are refused unless config lists them:
 *
 * <pre>{@code
 * http:
 *   allow: [localhost, 169.254.170.2, "fd00::/8"]   # host names, addresses or CIDR ranges
 * }</pre>
 *
 * <p>The check runs on every address a host name resolves to, right before each request; the
 * request then connects through the JVM's address cache, which holds that same answer, so a name
 * that resolves elsewhere on a second lookup does not get past it. Redirects are never followed.
 * Private ranges (10/8, 192.168/16, ...) are allowed: they are where an operator's own services
 * live.
 */
public final class OutboundAddresses {

  private static final List<Range> METADATA =
      List.of(Range.parse("fd00:ec2::254/128"), Range.parse("100.100.100.200/32"));

  private final List<String> allowedHosts;
  private final List<Range> allowedRanges;
  private final Resolver resolver;

  /** How host names become addresses; {@link InetAddress#getAllByName} outside tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private OutboundAddresses(List<String> allow, Resolver resolver) {
    List<String> hosts = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    for (String entry : allow) {
      Optional<Range> range = Range.tryParse(entry.trim());
      if (range.isPresent()) {
        ranges.add(range.get());
      } else {
        hosts.add(entry.trim().toLowerCase(Locale.ROOT));
      }
    }
    this.allowedHosts = List.copyOf(hosts);
    this.allowedRanges = List.copyOf(ranges);
    this.resolver = resolver;
  }

  /** The policy of {@code http.allow} in config. */
  public static OutboundAddresses from(IntentbotConfig config) {
    Object allow = config.section("http").get("allow");
    List<String> entries = new ArrayList<>();
    if (allow instanceof List<?> list) {
      list.forEach(item -> entries.add(String.valueOf(item)));
    }
    return new OutboundAddresses(entries, InetAddress::getAllByName);
  }

  /** A policy that allows the given host names, addresses or ranges beyond the public ones. */
  public static OutboundAddresses allowing(String... allow) {
    return new OutboundAddresses(List.of(allow), InetAddress::getAllByName);
  }

  /** The same allowances, resolving names with {@code resolver} (tests). */
  public OutboundAddresses resolvingWith(Resolver resolver) {
    List<String> allow = new ArrayList<>(allowedHosts);
    allowedRanges.forEach(r -> allow.add(r.text()));
    return new OutboundAddresses(allow, resolver);
  }

  /**
   * Why a request to {@code host} is refused, or empty when every address it resolves to may be
   * reached. A name that does not resolve is not refused here: the request then fails as it would.
   */
  public Optional<String> refusal(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (allowedHosts.contains(name)) {
      return Optional.empty();
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    for (InetAddress address : addresses) {
      String kind = forbiddenKind(address);
      if (kind != null && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
        String shown = address.getHostAddress();
        return Optional.of(
            host
                + (shown.equalsIgnoreCase(name) ? "" : " resolves to " + shown + ", which")
                + " is "
                + kind
                + ": the http step does not reach it unless http.allow in config lists it");
      }
    }
    return Optional.empty();
  }

  private static String forbiddenKind(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address (where cloud metadata services answer)";
    }
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    if (METADATA.stream().anyMatch(r -> r.contains(address))) {
      return "a cloud metadata address";
    }
    return null;
  }

  /** An address range in CIDR notation, or one address. */
  private record Range(String text, byte[] network, int prefix) {

    static Range parse(String text) {
      return tryParse(text).orElseThrow(() -> new IllegalArgumentException(text));
    }

    static Optional<Range> tryParse(String text) {
      String address = text;
      Integer prefix = null;
      int slash = text.indexOf('/');
      if (slash > 0) {
        address = text.substring(0, slash);
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
      if (!looksLikeAddress(address)) {
        return Optional.empty();
      }
      byte[] bytes;
      try {
        bytes = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
      int bits = prefix == null ? bytes.length * 8 : prefix;
      if (bits < 0 || bits > bytes.length * 8) {
        return Optional.empty();
      }
      return Optional.of(new Range(text, bytes, bits));
    }

    private static boolean looksLikeAddress(String text) {
      return text.contains(":") || text.matches("[0-9.]+");
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      BigInteger mask =
          prefix == 0
              ? BigInteger.ZERO
              : BigInteger.ONE
                  .shiftLeft(prefix)
                  .subtract(BigInteger.ONE)
                  .shiftLeft(bytes.length * 8 - prefix);
      return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }
}
