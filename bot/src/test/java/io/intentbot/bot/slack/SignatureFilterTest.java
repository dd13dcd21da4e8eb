package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignatureFilterTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  final SignatureFilter filter =
      new SignatureFilter("s3cret", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

  static String sign(String secret, long ts, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0="
        + HexFormat.of()
            .formatHex(mac.doFinal(("v0:" + ts + ":" + body).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void acceptsSlacksSignatureWithinFiveMinutesEitherWay() throws Exception {
    String body = "text=hello";
    for (long offset : new long[] {0, -299, 299}) {
      long ts = NOW.getEpochSecond() + offset;
      assertThat(
              filter.valid(
                  String.valueOf(ts),
                  sign("s3cret", ts, body),
                  body.getBytes(StandardCharsets.UTF_8)))
          .as("offset %d", offset)
          .isTrue();
    }
  }

  @Test
  void refusesStaleFutureTamperedOrMissing() throws Exception {
    String body = "text=hello";
    long ts = NOW.getEpochSecond();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(filter.valid(String.valueOf(ts - 301), sign("s3cret", ts - 301, body), bytes))
        .isFalse();
    assertThat(filter.valid(String.valueOf(ts + 301), sign("s3cret", ts + 301, body), bytes))
        .isFalse();
    assertThat(filter.valid(String.valueOf(ts), sign("other", ts, body), bytes)).isFalse();
    assertThat(
            filter.valid(
                String.valueOf(ts),
                sign("s3cret", ts, body),
                "text=hellO".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(filter.valid(null, sign("s3cret", ts, body), bytes)).isFalse();
    assertThat(filter.valid(String.valueOf(ts), null, bytes)).isFalse();
    assertThat(filter.valid("soon", "v0=00", bytes)).isFalse();
  }
}
