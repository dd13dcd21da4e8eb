package io.intentbot.engine.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The newest entry of the audit chain, written {@code SEQ:HASH} ({@code intentbot audit head}).
 * Kept outside the database (a chat channel, a ticket, a log shipped elsewhere), it lets {@code
 * audit verify --expect-head} find a deleted tail, which the chain alone cannot show.
 */
public record ChainHead(long seq, String hash) {

  private static final Pattern TEXT = Pattern.compile("(\\d+):([0-9a-f]{64})");

  /**
   * Reads {@code SEQ:HASH}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static ChainHead parse(String text) {
    Matcher matcher = TEXT.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a chain head: expected SEQ:HASH as `intentbot audit head` prints it,"
              + " e.g. 42:"
              + "0".repeat(64));
    }
    return new ChainHead(Long.parseLong(matcher.group(1)), matcher.group(2));
  }

  @Override
  public String toString() {
    return seq + ":" + hash;
  }
}
