package io.intentbot.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs the audit chain ({@code INTENTBOT_AUDIT_KEY}): each sealed run carries an
 * HMAC-SHA256 of its seq and record hash, and the record hash already covers everything sealed
 * before it. Someone who can write the database but does not hold the key can still rewrite rows
 * and recompute the hashes; they cannot make MACs that {@code audit verify} accepts.
 *
 * <pre>{@code
 * Optional<AuditKey> key = AuditKey.fromEnvironment(System.getenv());   // openssl rand -hex 32
 * }</pre>
 */
public final class AuditKey {

  /** The variable the key is read from. */
  public static final String VARIABLE = "INTENTBOT_AUDIT_KEY";

  /** The shortest key accepted: 32 characters (e.g. {@code openssl rand -hex 16}). */
  public static final int MIN_LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private AuditKey(String text) {
    this.key = new SecretKeySpec(text.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /**
   * The key from {@value #VARIABLE}, or empty when it is not set.
   *
   * @throws IllegalArgumentException when it is set but shorter than {@value #MIN_LENGTH}
   *     characters: a weak key must not look like protection
   */
  public static Optional<AuditKey> fromEnvironment(Map<String, String> environment) {
    String text = environment.get(VARIABLE);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(of(text.strip()));
  }

  /** A key from its text; see {@link #fromEnvironment} for the length rule. */
  public static AuditKey of(String text) {
    if (text.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          VARIABLE
              + " is "
              + text.length()
              + " characters long; use at least "
              + MIN_LENGTH
              + " (for example the output of: openssl rand -hex 32)");
    }
    return new AuditKey(text);
  }

  /** The MAC of the chain entry with this seq and record hash, as 64 hex characters. */
  String mac(long seq, String recordHash) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of()
          .formatHex(mac.doFinal((seq + ":" + recordHash).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Whether {@code recordMac} is this key's MAC of the entry, compared in constant time. */
  boolean signed(long seq, String recordHash, String recordMac) {
    return recordMac != null
        && MessageDigest.isEqual(
            mac(seq, recordHash).getBytes(StandardCharsets.US_ASCII),
            recordMac.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "AuditKey[***]";
  }
}
