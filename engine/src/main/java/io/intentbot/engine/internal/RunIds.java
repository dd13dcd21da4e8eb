package io.intentbot.engine.internal;

import java.security.SecureRandom;

/** Short, typeable, unguessable run ids: {@code r-} and eight lower-case letters or digits. */
final class RunIds {

  private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  static String next() {
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return "r-" + new String(id);
  }
}
