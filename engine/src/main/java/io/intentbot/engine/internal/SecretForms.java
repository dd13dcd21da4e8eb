package io.intentbot.engine.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ways one secret value shows up in output: stripped of surrounding whitespace (which masks it
 * with any whitespace around it, and keeps the text's own spaces), and encoded, as given and
 * stripped. For base64 the value can start at any of three byte offsets of the encoded text; at
 * each offset only the characters that depend on the value's bytes alone are kept, which is what
 * appears whatever came before or after it.
 */
final class SecretForms {

  private final String value;

  SecretForms(String value) {
    this.value = value;
  }

  Set<String> all() {
    Set<String> forms = new LinkedHashSet<>();
    String stripped = value.strip();
    for (String text : new String[] {value, stripped}) {
      if (text.isEmpty()) {
        continue;
      }
      if (text.equals(stripped)) {
        // the blanks around it are not the secret: masking them too would eat the text's spaces
        forms.add(text);
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      forms.add(HexFormat.of().formatHex(bytes));
      forms.add(HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT));
      String url = URLEncoder.encode(text, StandardCharsets.UTF_8);
      forms.add(url);
      forms.add(url.replace("+", "%20"));
      for (int offset = 0; offset < 3; offset++) {
        forms.add(base64(Base64.getEncoder().withoutPadding(), bytes, offset));
        forms.add(base64(Base64.getUrlEncoder().withoutPadding(), bytes, offset));
      }
    }
    return forms;
  }

  /**
   * The characters of base64 that only the value's bytes decide when it follows {@code offset}
   * other bytes: the first characters share bits with those bytes, the last with what follows.
   */
  private static String base64(Base64.Encoder encoder, byte[] bytes, int offset) {
    byte[] shifted = new byte[offset + bytes.length];
    System.arraycopy(bytes, 0, shifted, offset, bytes.length);
    String encoded = encoder.encodeToString(shifted);
    int skip = (offset * 8 + 5) / 6;
    int keep = shifted.length * 8 / 6;
    return keep > skip ? encoded.substring(skip, keep) : "";
  }
}
