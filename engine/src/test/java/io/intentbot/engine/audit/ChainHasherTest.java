package io.intentbot.engine.audit;

import static io.intentbot.engine.audit.Runs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainHasherTest {

  private static final String PREV = "a".repeat(64);

  @Test
  void theCanonicalFormSortsKeysAndWritesTimesAsEpochMillis() {
    RunRecord run =
        new RunRecord(
            "r-1",
            "i",
            Map.of(),
            "U",
            null,
            null,
            RunStatus.SUCCEEDED,
            false,
            null,
            null,
            T0,
            null,
            null,
            Map.of("b", 2, "a", 1),
            null,
            Map.of());

    String canonical = ChainHasher.canonical(new SealedRun(7, T0, run, List.of(), List.of()));

    assertThat(canonical)
        .isEqualTo(
            "{\"approvals\":[],\"run\":{\"app\":null,\"created_at\":1795568400123,\"dry_run\":false,"
                + "\"environment\":null,\"finished_at\":null,\"id\":\"r-1\",\"intent\":\"i\","
                + "\"lock_key\":null,\"origin\":{},\"outputs\":{\"a\":1,\"b\":2},"
                + "\"parameters\":{},\"plan_hash\":null,\"reason\":null,\"requester\":\"U\","
                + "\"started_at\":null,\"status\":\"succeeded\"},\"sealed_at\":1795568400123,"
                + "\"seq\":7,\"steps\":[]}");
  }

  @Test
  void keyOrderDoesNotChangeTheHash() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", Map.of("y", 2, "x", 1));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", new java.util.TreeMap<>(Map.of("x", 1, "y", 2)));
    ba.put("a", 1);

    assertThat(ChainHasher.hash(PREV, sealed(Runs.finished("r-1", T0), ab)))
        .isEqualTo(ChainHasher.hash(PREV, sealed(Runs.finished("r-1", T0), ba)));
  }

  @Test
  void everyInputChangesTheHash() {
    SealedRun base = sealed(Runs.finished("r-1", T0), Map.of("k", "v"));
    String hash = ChainHasher.hash(PREV, base);

    assertThat(hash).hasSize(64).matches("[0-9a-f]+");
    assertThat(ChainHasher.hash("b".repeat(64), base)).isNotEqualTo(hash);
    assertThat(
            ChainHasher.hash(
                PREV, sealed(Runs.finished("r-1", T0.plusMillis(1)), Map.of("k", "v"))))
        .isNotEqualTo(hash);
    assertThat(ChainHasher.hash(PREV, sealed(Runs.finished("r-1", T0), Map.of("k", "w"))))
        .isNotEqualTo(hash);
    assertThat(
            ChainHasher.hash(
                PREV, new SealedRun(2, T0, base.run(), base.steps(), base.approvals())))
        .isNotEqualTo(hash);
    assertThat(
            ChainHasher.hash(PREV, new SealedRun(1, T0, base.run(), List.of(), base.approvals())))
        .isNotEqualTo(hash);
  }

  private static SealedRun sealed(RunRecord run, Map<String, Object> stepOutputs) {
    StepRecord step = Runs.step(run.id(), 0, StepStatus.SUCCEEDED, T0);
    StepRecord withOutputs =
        new StepRecord(
            step.runId(),
            step.index(),
            step.stepId(),
            step.phase(),
            step.type(),
            step.status(),
            step.startedAt(),
            step.finishedAt(),
            step.attempts(),
            stepOutputs,
            step.outputText(),
            step.reason());
    return new SealedRun(
        1,
        T0,
        run,
        List.of(new SealedRun.StoredStep(withOutputs, 1500L)),
        List.of(Runs.approval(run.id(), "U2", T0)));
  }
}
