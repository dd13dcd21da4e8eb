package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void masksKnownSecretsAndTokenShapedStrings() {
    Redactor redactor = new Redactor(List.of("hunter2-long"));
    assertThat(redactor.redact("pw is hunter2-long!")).isEqualTo("pw is ***!");
    assertThat(redactor.redact("token xoxb-1234567890-abcdefghijkl ok")).isEqualTo("token *** ok");
    assertThat(redactor.redact("ghp_abcdefghijklmnopqrstuvwxyz0123")).isEqualTo("***");
    assertThat(redactor.redact("AKIAABCDEFGHIJKLMNOP")).isEqualTo("***");
    assertThat(redactor.redact("password=s3cret&user=x")).isEqualTo("password=***&user=x");
    assertThat(redactor.redact("\"api_key\": \"abc123456\"")).isEqualTo("\"api_key\": \"***\"");
    assertThat(redactor.redact("Authorization: Bearer abc.def.ghijklmnop"))
        .isEqualTo("Authorization: Bearer ***");
    assertThat(redactor.redact("postgres://app:pa55word@db:5432/x"))
        .isEqualTo("postgres://app:***@db:5432/x");
    assertThat(redactor.redact("nothing secret here")).isEqualTo("nothing secret here");
  }

  @Test
  void secretsAddedLaterApplyToWhatFollowsAndNestedValuesAreMasked() {
    Redactor redactor = new Redactor();
    assertThat(redactor.redact("value-from-vault")).isEqualTo("value-from-vault");
    redactor.addSecret("value-from-vault");
    assertThat(redactor.redactMap(Map.of("out", List.of("a value-from-vault b"))))
        .isEqualTo(Map.of("out", List.of("a *** b")));
    redactor.addSecret("ab");
    assertThat(redactor.redact("abc"))
        .as("very short values are not treated as secrets")
        .isEqualTo("abc");
  }

  @Test
  void aSecretIsMaskedWhateverItsSurroundingWhitespace() {
    Redactor redactor = new Redactor(List.of(" hunter22\t"));
    assertThat(redactor.redact("echo hunter22 done")).isEqualTo("echo *** done");
  }

  @Test
  void base64OfTheSecretIsMaskedAtEveryAlignment() {
    String secret = "s3cr3t-Value!";
    Redactor redactor = new Redactor(List.of(secret));
    for (String prefix : new String[] {"", "u:", "user:", "ab"}) {
      for (java.util.Base64.Encoder encoder :
          new java.util.Base64.Encoder[] {
            java.util.Base64.getEncoder(), java.util.Base64.getUrlEncoder()
          }) {
        String encoded =
            encoder.encodeToString(
                (prefix + secret + "|tail").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String masked = redactor.redact("Basic " + encoded);
        assertThat(masked).as(prefix).contains("***");
        byte[] decoded = decodeLeniently(masked.substring("Basic ".length()));
        assertThat(new String(decoded, java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("what is left of '%s' decodes to no more than 2 bytes of the secret", prefix)
            .doesNotContain("cr3t-Va");
      }
    }
  }

  private static byte[] decodeLeniently(String masked) {
    String clean = masked.replace("***", "").replaceAll("[^A-Za-z0-9+/_-]", "");
    try {
      return java.util.Base64.getDecoder()
          .decode(clean.replace('-', '+').replace('_', '/').substring(0, clean.length() / 4 * 4));
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  @Test
  void hexAndUrlEncodingsOfTheSecretAreMasked() {
    Redactor redactor = new Redactor(List.of("p@ss word/1"));
    assertThat(redactor.redact("hex 7040737320776f72642f31 end")).isEqualTo("hex *** end");
    assertThat(redactor.redact("HEX 7040737320776F72642F31")).isEqualTo("HEX ***");
    assertThat(redactor.redact("q=p%40ss+word%2F1&x")).isEqualTo("q=***&x");
    assertThat(redactor.redact("q=p%40ss%20word%2F1&x")).isEqualTo("q=***&x");
  }
}
