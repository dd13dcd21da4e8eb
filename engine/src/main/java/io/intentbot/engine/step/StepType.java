package io.intentbot.engine.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of step, named by the YAML {@code type:} of the steps it runs.
 *
 * <p>A step type is stateless and shared by every run; its configuration (clients, datasources)
 * comes in through its constructor. The contract:
 *
 * <ul>
 *   <li>{@link #name()} is a constant and unique in the {@link StepTypeRegistry}.
 *   <li>{@link #withSchema()} is a JSON Schema (draft 2020-12) of the {@code with:} block; every
 *       intent is validated against it when the catalogue loads, so {@link #plan} and {@link
 *       #execute} may rely on its shape. String fields may hold {@code ${{ }}} expressions, which
 *       are rendered before either method is called.
 *   <li>{@link #plan} never changes anything: it describes what {@link #execute} would do with the
 *       same input (the dry run and the approval card show it). It may read (list pending
 *       migrations, look at the cluster) but must not write.
 *   <li>{@link #execute} returns a {@link StepResult}; it throws only for programming errors. It
 *       streams human-readable progress through {@link StepContext#output()}, honours thread
 *       interruption (cancellation and timeouts interrupt it) and releases what it started.
 * </ul>
 */
public interface StepType {

  /** The YAML {@code type:} value, e.g. {@code shell} or {@code kubernetes.set-image}. */
  String name();

  /** One line for {@code intentbot steps}. */
  String description();

  /** JSON Schema of the {@code with:} block. */
  JsonNode withSchema();

  /**
   * Whether {@link #execute} changes nothing outside the run: it only computes outputs from its
   * input ({@code set}) or only reads ({@code kubernetes.rollout-history}). The planner executes
   * pure steps during a dry run so that later steps can be described with real values; an exception
   * or failure there is a failed read: the plan is incomplete, and what depends on it stays open.
   */
  default boolean pure() {
    return false;
  }

  /**
   * Whether {@link #execute} only computes its outputs from its input, at once: {@link #pure()},
   * and no I/O, no waiting, nothing that blocks ({@code set}, {@code assert}). The engine runs an
   * instant step on the run's own thread rather than handing it to a step thread, and writes its
   * record once, when it ends: nothing outside the run changes while it runs, so a crash meanwhile
   * loses nothing that running it again would not redo. Its {@code timeout:} is not enforced while
   * it runs (it has nothing to wait for).
   */
  default boolean instant() {
    return false;
  }

  /**
   * The names of the outputs {@link #execute} may return, over all its actions (a step of one
   * action may leave some out); empty when the type does not declare them. Loading the catalogue
   * ({@code intentbot lint}) reports an expression that reads {@code steps.X.outputs.NAME} of a
   * step whose type declares its outputs and not {@code NAME}.
   */
  default Optional<Set<String>> outputs() {
    return Optional.empty();
  }

  /** Describes what the step would do, without doing it. */
  StepPlan plan(StepInput input, StepContext context);

  /**
   * The files {@link #execute} will read with this input (a folder stands for every file under it):
   * migration scripts, templates. The plan hash covers their contents, so an approval given on a
   * plan cancels the run when one of them changes, is added or removed. Resolved as {@link #plan}
   * resolves them, and like it never changes anything; none by default.
   */
  default List<Path> reads(StepInput input, StepContext context) {
    return List.of();
  }

  /** Does the step. */
  StepResult execute(StepInput input, StepContext context) throws InterruptedException;
}
