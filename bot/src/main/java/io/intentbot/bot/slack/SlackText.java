package io.intentbot.bot.slack;

import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.OutcomeText;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way text reaches Slack as mrkdwn, and the one way Slack's text comes back.
 *
 * <p>{@link #mrkdwn} escapes {@code &}, {@code <} and {@code >} (Slack's control characters) in
 * everything, so user text never makes a mention, a link or a broken {@code <none>}. The mentions
 * intentbot means to make are written by {@link #MENTIONS} as tokens that carry this process's
 * random nonce; only those tokens become {@code <@U123>} / {@code <!subteam^S123>} after escaping.
 * Text that merely looks like a token (another nonce, a user typing one) stays text.
 *
 * <p>{@link #unescape} undoes Slack's escaping of inbound slash-command text ({@code &amp;}, {@code
 * &lt;}, {@code &gt;}) once, and turns non-breaking spaces (which Slack clients insert) into
 * spaces.
 */
public final class SlackText {

  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final String NONCE = HexFormat.of().formatHex(randomBytes());
  private static final Pattern TOKEN =
      Pattern.compile(OPEN + NONCE + "([@^#])([A-Za-z0-9_.\\-]{1,64})" + CLOSE);

  private SlackText() {}

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** Mentions as tokens that {@link #mrkdwn} turns into Slack's mention markup. */
  public static final Mentions MENTIONS =
      new Mentions() {
        @Override
        public String user(String id) {
          return token('@', id);
        }

        @Override
        public String group(String id) {
          return token('^', id);
        }

        @Override
        public String channel(String id) {
          return token('#', id);
        }
      };

  /** Refusals and decisions with approvers as {@link #MENTIONS}. */
  public static final OutcomeText OUTCOMES = OutcomeText.of(MENTIONS);

  private static String token(char kind, String id) {
    String safe = id == null ? "" : id;
    if (!safe.matches("[A-Za-z0-9_.\\-]{1,64}")) {
      return safe; // not an id Slack could mention: shown as text (and escaped)
    }
    return OPEN + NONCE + kind + safe + CLOSE;
  }

  /** Text as Slack mrkdwn: control characters escaped, this process's mention tokens resolved. */
  public static String mrkdwn(String text) {
    if (text == null) {
      return "";
    }
    String escaped = escape(text);
    if (escaped.indexOf(OPEN) < 0) {
      return escaped;
    }
    Matcher m = TOKEN.matcher(escaped);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String mention =
          switch (m.group(1)) {
            case "@" -> "<@" + m.group(2) + ">";
            case "#" -> "<#" + m.group(2) + ">";
            default -> "<!subteam^" + m.group(2) + ">";
          };
      m.appendReplacement(out, Matcher.quoteReplacement(mention));
    }
    m.appendTail(out);
    return out.toString().replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
  }

  /** {@code &}, {@code <}, {@code >} as Slack's entities; nothing else changes. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Plain text (plain_text fields, file contents): mention tokens become {@code @id}. */
  public static String plain(String text) {
    if (text == null) {
      return "";
    }
    if (text.indexOf(OPEN) < 0) {
      return text;
    }
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(
              switch (m.group(1)) {
                    case "@" -> "@";
                    case "#" -> "#";
                    default -> "@group ";
                  }
                  + m.group(2)));
    }
    m.appendTail(out);
    return out.toString().replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
  }

  /**
   * Slash-command text as the user typed it: Slack's {@code &lt; &gt; &amp;} undone once (so {@code
   * &amp;lt;} stays {@code &lt;}), non-breaking spaces as spaces, and the private-use characters of
   * mention tokens removed.
   */
  public static String unescape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '&') {
        if (text.startsWith("&amp;", i)) {
          out.append('&');
          i += 4;
          continue;
        } else if (text.startsWith("&lt;", i)) {
          out.append('<');
          i += 3;
          continue;
        } else if (text.startsWith("&gt;", i)) {
          out.append('>');
          i += 3;
          continue;
        }
      }
      if (c == '\u00A0' || c == '\u202F') {
        out.append(' ');
      } else if (c != OPEN && c != CLOSE) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
