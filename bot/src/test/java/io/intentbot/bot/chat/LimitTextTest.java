package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Refusal;
import org.junit.jupiter.api.Test;

/** A submission past a load limit, as every adapter words it: the limit is named, with its key. */
class LimitTextTest {

  @Test
  void aLimitReachedSaysWhichLimitAndWhatToDo() {
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.LimitReached(Refusal.Limit.RUNS_PER_USER, 5, "U_CAROL")))
        .isEqualTo(
            "you have 5 runs in progress, the most one person may have at once"
                + " (limits.runs_per_user: 5): submit again when one has finished, or cancel one");
    assertThat(
            OutcomeText.SLACK.refusal(
                new Refusal.LimitReached(Refusal.Limit.RUNS_TOTAL, 100, "U_CAROL")))
        .isEqualTo(
            "intentbot has 100 runs in progress, the most it takes at once"
                + " (limits.runs_total: 100): submit again when some have finished");
  }
}
