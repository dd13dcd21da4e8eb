package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Refusal;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedOutcomesTest {

  private static final String SECRET = "hunter2-s3cret";

  @Test
  void everyKindOfRefusalIsRebuiltWithNoSecretLeftAtAnyDepth() throws Exception {
    Redactor redactor = new Redactor(List.of(SECRET));
    List<Class<?>> kinds = Arrays.asList(Refusal.class.getPermittedSubclasses());
    assertThat(kinds).hasSizeGreaterThan(30);
    for (Class<?> kind : kinds) {
      Refusal refusal = (Refusal) sample(kind);

      Refusal masked = MaskedOutcomes.refusal(refusal, redactor);

      assertThat(masked).as(kind.getSimpleName()).isInstanceOf(kind);
      assertThat(masked.toString()).as(kind.getSimpleName()).doesNotContain(SECRET);
      if (refusal.toString().contains(SECRET)) {
        assertThat(masked.toString()).as(kind.getSimpleName()).contains(Redactor.MASK);
      }
    }
  }

  @Test
  void aFailedReadsReasonInsideAnIncompletePlanIsMasked() {
    Refusal refusal =
        new Refusal.IncompletePlan(
            "deploy-app",
            "staging",
            List.of(
                new io.intentbot.engine.model.FailedRead(
                    "history", "kubernetes.rollout-history", "401 for token " + SECRET)));

    Refusal masked = MaskedOutcomes.refusal(refusal, new Redactor(List.of(SECRET)));

    assertThat(((Refusal.IncompletePlan) masked).failedReads().get(0).reason())
        .isEqualTo("401 for token ***");
  }

  @Test
  void aRefusalWithNothingToMaskIsTheSameObject() {
    Refusal refusal = new Refusal.NoSuchRun("r-1");

    assertThat(MaskedOutcomes.refusal(refusal, new Redactor(List.of(SECRET)))).isSameAs(refusal);
  }

  private static Object sample(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = value(components[i].getGenericType());
    }
    Constructor<?> canonical = type.getDeclaredConstructor(types);
    canonical.setAccessible(true);
    return canonical.newInstance(values);
  }

  private static Object value(Type generic) throws Exception {
    if (generic instanceof ParameterizedType parameterized
        && parameterized.getRawType() == List.class) {
      return List.of(value(parameterized.getActualTypeArguments()[0]));
    }
    Class<?> type = (Class<?>) generic;
    if (type == String.class) {
      return "value with " + SECRET;
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (type == int.class || type == Integer.class) {
      return 3;
    }
    if (type == long.class || type == Long.class) {
      return 3L;
    }
    if (type == boolean.class || type == Boolean.class) {
      return true;
    }
    if (type == Duration.class) {
      return Duration.ofMinutes(5);
    }
    if (type == Instant.class) {
      return Instant.parse("2026-12-02T05:00:00Z");
    }
    if (type.isRecord()) {
      return sample(type);
    }
    throw new AssertionError(
        "no sample value for a "
            + type.getName()
            + ": teach this test, and MaskedOutcomes, about it");
  }
}
