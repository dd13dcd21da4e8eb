package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies render refusals and input problems already masked by the engine. */
class MaskedRepliesTest {

  private static final String SIGNING_SECRET = "5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b";

  @TempDir Path dir;
  EngineFixture bed;
  InMemoryChat chat;

  @BeforeEach
  void start() throws Exception {
    bed =
        TestIntents.engine(dir, group -> Set.of())
            .secrets(SIGNING_SECRET)
            .intent(
                "check-token",
                """
                name: check-token
                parameters:
                  token: { type: string, secret: true, required: true }
                steps:
                  - id: check
                    type: assert
                    with:
                      that: "${{ params.token == 'the-expected-token' }}"
                      message: "token ${{ params.token }} is not the expected one"
                """);
    bed.build();
    chat = new InMemoryChat(bed.engine());
    bed.started();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void anInputProblemEchoingTheBotsSecretIsMaskedInTheReply() {
    Reply reply = chat.push("alice", "deploy-app app=web env=sandbox version=" + SIGNING_SECRET);

    assertThat(reply.error()).isTrue();
    assertThat(reply.text()).contains("version").contains("***").doesNotContain(SIGNING_SECRET);
  }

  @Test
  void aPlanTimeRefusalEchoingASecretParameterIsMaskedInTheReply() {
    Reply reply = chat.push("alice", "check-token token=wrong-token-123");

    assertThat(reply.error()).isTrue();
    assertThat(reply.text())
        .contains("token *** is not the expected one")
        .doesNotContain("wrong-token-123");
    assertThat(bed.engine().history(null, 10)).as("nothing recorded").isEmpty();
  }
}
