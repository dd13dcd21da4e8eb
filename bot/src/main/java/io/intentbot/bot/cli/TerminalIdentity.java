package io.intentbot.bot.cli;

import io.intentbot.engine.config.AccessConfig;
import io.intentbot.engine.model.Actor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Who a terminal user is: the operating-system user ({@code $USER}), acting as the chat id that
 * {@code identities:} maps it to, else as {@code os:NAME}; {@code --as USER} is honoured only for
 * the users in {@code trusted_os_users} (pipelines).
 *
 * @param osUser the operating-system user
 * @param host this host's name
 * @param self the user id the OS user acts as without {@code --as}
 * @param trusted whether the OS user may act as someone else
 */
public record TerminalIdentity(String osUser, String host, String self, boolean trusted) {

  /** The identity of the user running this process, from {@code env} and the config. */
  public static TerminalIdentity of(AccessConfig access, Map<String, String> env) {
    String osUser = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
    String self = access.identities().getOrDefault(osUser, "os:" + osUser);
    return new TerminalIdentity(osUser, host(env), self, access.trustedOsUsers().contains(osUser));
  }

  /** Whether {@code --as claimed} needs trust: it names somebody other than this user. */
  public boolean claimsOther(String claimed) {
    return claimed != null && !claimed.isBlank() && !claimed.equals(self);
  }

  /** This user acting as themself from {@code source} ({@code cli}, {@code console}). */
  public Actor actor(String source) {
    return new Actor(self, source, null, osUser, host);
  }

  /** This user acting as {@code claimed} (only when {@link #trusted()}). */
  public Actor actingAs(String claimed, String source) {
    return new Actor(claimed, source, null, osUser, host);
  }

  private static String host(Map<String, String> env) {
    String host = env.get("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
