package io.intentbot.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.intentbot.engine.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secret parameters of a run waiting for approval, so they can rest in the audit
 * database: AES-GCM from the JDK with a 128-bit tag and a fresh 96-bit nonce each time, the run id
 * as associated data (a sealed value moved to another run does not open). The key is 16, 24 or 32
 * bytes given in base64 ({@code INTENTBOT_SECRET_KEY}); without one the vault is {@link #NONE} and
 * seals nothing: the values then live only in the memory of the process that planned the run.
 *
 * <p>Sealed form: {@code v1:} then base64 of the nonce followed by the ciphertext and tag.
 */
public final class SecretVault {

  /** No key: nothing can be sealed or opened. */
  static final SecretVault NONE = new SecretVault(null);

  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private SecretVault(SecretKey key) {
    this.key = key;
  }

  /**
   * The vault for a base64 key, or {@link #NONE} for null or blank.
   *
   * @throws IllegalArgumentException when the key is not base64 of 16, 24 or 32 bytes
   */
  static SecretVault of(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      return NONE;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw badKey("it is not base64");
    }
    if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
      throw badKey("it is " + bytes.length + " bytes");
    }
    return new SecretVault(new SecretKeySpec(bytes, "AES"));
  }

  /**
   * Checks a key as {@code INTENTBOT_SECRET_KEY} gives it (null or blank: none).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static void check(String base64Key) {
    of(base64Key);
  }

  private static IllegalArgumentException badKey(String why) {
    return new IllegalArgumentException(
        "INTENTBOT_SECRET_KEY must be 16, 24 or 32 random bytes in base64, e.g. the output of"
            + " `openssl rand -base64 32`, but "
            + why);
  }

  boolean hasKey() {
    return key != null;
  }

  /** The values sealed for {@code runId}, or empty without a key. */
  Optional<String> seal(String runId, Map<String, String> values) {
    if (key == null) {
      return Optional.empty();
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(runId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(Json.MAPPER.writeValueAsBytes(values));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return Optional.of(VERSION + Base64.getEncoder().encodeToString(out));
    } catch (GeneralSecurityException | JsonProcessingException e) {
      throw new IllegalStateException("cannot seal the secret parameters of run " + runId, e);
    }
  }

  /**
   * The values sealed for {@code runId}; empty without a key, with another key, or when the sealed
   * text was altered or belongs to another run.
   */
  Optional<Map<String, String>> open(String runId, String sealed) {
    if (key == null || sealed == null || !sealed.startsWith(VERSION)) {
      return Optional.empty();
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
      if (in.length <= NONCE_BYTES) {
        return Optional.empty();
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(runId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return Optional.of(
          new LinkedHashMap<>(
              Json.MAPPER.readValue(plain, new TypeReference<Map<String, String>>() {})));
    } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }
}
