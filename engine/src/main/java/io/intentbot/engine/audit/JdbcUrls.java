package io.intentbot.engine.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords written into JDBC URLs out of logs and messages: Flyway logs the URL it migrates,
 * so a password in it is moved to the connection's properties first.
 */
final class JdbcUrls {

  /** A URL without its password, and that password (or null). */
  record Split(String url, String password) {}

  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;])password=([^&;]*)");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]+:)[^/@]*@");

  private JdbcUrls() {}

  static Split takePassword(String url) {
    Matcher matcher = PASSWORD_PARAM.matcher(url);
    if (!matcher.find()) {
      return new Split(url, null);
    }
    String raw = matcher.group(2);
    String password =
        url.startsWith("jdbc:postgresql:") ? URLDecoder.decode(raw, StandardCharsets.UTF_8) : raw;
    String prefix = url.substring(0, matcher.start());
    String rest = url.substring(matcher.end());
    String stripped =
        matcher.group(1).equals("?")
            ? prefix + (rest.startsWith("&") ? "?" + rest.substring(1) : rest)
            : prefix + rest;
    return new Split(takePassword(stripped).url(), password);
  }

  /** The URL as it may be shown: any password masked. */
  static String redact(String url) {
    if (url == null) {
      return "(no URL)";
    }
    String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1password=***");
    return USER_INFO.matcher(masked).replaceAll("$1***@");
  }
}
