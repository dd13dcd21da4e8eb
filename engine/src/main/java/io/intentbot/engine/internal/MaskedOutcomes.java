package io.intentbot.engine.internal;

import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.InputProblem;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.Submission;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

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
   * The refusal with every text it carries masked: each {@code String}, in the refusal itself, in
   * the records it holds (a {@link io.intentbot.engine.model.FailedRead}'s reason) and in their
   * lists, at any depth. Fails closed: a refusal that cannot be rebuilt masked is an error, never
   * returned as it is.
   *
   * @throws IllegalStateException when a refusal kind cannot be rebuilt (a record without an
   *     accessible canonical constructor); {@code MaskedOutcomesTest} rebuilds every kind
   */
  static Refusal refusal(Refusal refusal, Redactor redactor) {
    return (Refusal) mask(refusal, redactor);
  }

  private static Object mask(Object value, Redactor redactor) {
    if (value instanceof String text) {
      return redactor.redact(text);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      boolean changed = false;
      for (Object item : list) {
        Object masked = mask(item, redactor);
        changed |= !Objects.equals(masked, item);
        out.add(masked);
      }
      return changed ? Collections.unmodifiableList(out) : list;
    }
    if (value instanceof Record record) {
      return maskRecord(record, redactor);
    }
    return value;
  }

  private static Object maskRecord(Record record, Redactor redactor) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    boolean changed = false;
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        Object value = accessor.invoke(record);
        values[i] = mask(value, redactor);
        changed |= !Objects.equals(values[i], value);
      }
      if (!changed) {
        return record;
      }
      Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot mask the secrets in a " + record.getClass().getSimpleName() + ": " + e, e);
    }
  }
}
