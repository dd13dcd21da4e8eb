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
}
