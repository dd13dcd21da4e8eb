package io.intentbot.engine.internal;

import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.InputProblem;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.Submission;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts what the engine answers through a {@link Redactor}, as step output is: input problems (which
 * may echo a value), plan-time refusals (an {@code assert} message, an expression error) and
 * refusals (a lock key rendered from parameters, a name typed after {@code --as}). Every adapter
 * renders these, so masking them here masks them everywhere. Plans and records of runs are masked
 * by the run's own redactor already.
 */
final class MaskedOutcomes {

  private MaskedOutcomes() {}

  static Submission submission(Submission submission, Redactor redactor) {
    if (submission instanceof Submission.Invalid invalid) {
      return new Submission.Invalid(
          invalid.problems().stream().map(p -> problem(p, redactor)).toList());
    }
    if (submission instanceof Submission.Refused refused) {
      return new Submission.Refused(refusal(refused.reason(), redactor));
    }
    return submission;
  }

  static Decision decision(Decision decision, Redactor redactor) {
    if (decision instanceof Decision.Refused refused) {
      return new Decision.Refused(refusal(refused.reason(), redactor), refused.run());
    }
    return decision;
  }

  static InputProblem problem(InputProblem problem, Redactor redactor) {
    return new InputProblem(
        problem.kind(),
        problem.parameter(),
        problem.didYouMean().stream().map(redactor::redact).toList(),
        redactor.redact(problem.message()));
  }

  /**
   * The refusal with every text it carries masked: each {@code String} component, and each string
   * in a {@code List} component. Refusals are records; one that cannot be rebuilt is returned as it
   * is rather than lost.
   */
  static Refusal refusal(Refusal refusal, Redactor redactor) {
    RecordComponent[] components = refusal.getClass().getRecordComponents();
    if (components == null) {
      return refusal;
    }
    try {
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      boolean changed = false;
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        Object value = components[i].getAccessor().invoke(refusal);
        Object masked = mask(value, redactor);
        changed |= masked != value && !masked.equals(value);
        values[i] = masked;
      }
      if (!changed) {
        return refusal;
      }
      Constructor<?> canonical = refusal.getClass().getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return (Refusal) canonical.newInstance(values);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return refusal;
    }
  }

  private static Object mask(Object value, Redactor redactor) {
    if (value instanceof String text) {
      return redactor.redact(text);
    }
    if (value instanceof List<?> list && list.stream().anyMatch(String.class::isInstance)) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(item instanceof String s ? redactor.redact(s) : item));
      return List.copyOf(out);
    }
    return value;
  }
}
