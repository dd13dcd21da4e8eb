package io.intentbot.engine.audit;

import java.util.regex.Pattern;

/** Keeps passwords written into JDBC URLs out of the store's messages. */
final class Redaction {

  private static final Pattern PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]+:)[^/@]*@");

  private Redaction() {}

  static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "(no URL)";
    }
    String masked = PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    return USER_INFO.matcher(masked).replaceAll("$1***@");
  }
}
