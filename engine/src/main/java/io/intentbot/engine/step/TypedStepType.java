package io.intentbot.engine.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The base of every step type: its {@code with:} block arrives as an immutable record, already
 * bound and checked, and the base owns the rest of the {@link StepType} contract (name,
 * description, schema, the common error handling).
 *
 * <p><b>One schema source.</b> The JSON Schema (draft 2020-12) of {@code with:} is the resource
 * {@code <name>.schema.json} next to the step type's class (same package, under {@code
 * src/main/resources}). It is used three times: {@code intentbot lint} and the catalogue check
 * every intent against it when they load; {@code intents/intent.schema.json} embeds it so editors
 * complete and check {@code with:}; and each run checks the rendered input against it again.
 *
 * <p><b>Binding.</b> The rendered {@code with:} (every {@code ${{ }}} evaluated) is bound to the
 * record {@code I} with one shared Jackson mapper: fields are snake_case in YAML and camelCase in
 * the record ({@code output_limit} → {@code outputLimit}); scalars convert leniently as people
 * write them ({@code "5"} is a number, {@code "true"} a boolean, a single value is a one-item
 * list); {@link java.time.Duration} fields take {@code 30s}, {@code 5m}, {@code 1h30m}. The record
 * declares every property of the schema: a field it does not know is refused. Absent fields are
 * null (or 0/false for primitives; no {@code Optional} fields), so a compact constructor sets
 * defaults and checks rules that need a specific message; it must accept null for fields the schema
 * requires, and throws {@link IllegalArgumentException} to refuse. A free-form block ({@code set})
 * declares {@code record Input(StepInput values)} and gets the rendered values exactly as given.
 * After binding, the input is validated against the schema. Either failure names the field, the
 * value and what was expected ({@link InvalidStepInputException}): in {@link #execute} it becomes a
 * failed result, in {@link #plan} it is thrown, so the planner lists the step as invalid and the
 * run is refused before it starts.
 *
 * <p><b>Errors.</b> An {@link IllegalArgumentException} thrown by {@link #plan(Record,
 * StepContext)} marks the input invalid; thrown by {@link #execute(Record, StepContext)} it fails
 * the step with its message (override {@link #failsTheStep} to treat other exceptions the same
 * way). If the thread was interrupted meanwhile, {@link #execute} throws {@link
 * InterruptedException} instead, so a cancelled step is reported as cancelled. Subclasses honour
 * interruption as {@link StepType} says.
 *
 * <p><b>Example:</b> a complete step type, {@code greet}, with {@code with: { name: ada, times: 2
 * }}. The class:
 *
 * <pre>{@code
 * public final class GreetStepType extends TypedStepType<GreetStepType.Input> {
 *
 *   public static final String NAME = "greet";
 *
 *   record Input(String name, Integer times) {
 *     Input {
 *       times = times == null ? 1 : times;
 *     }
 *   }
 *
 *   public GreetStepType() {
 *     super(NAME, "Say hello to someone", Input.class, Purity.PURE);
 *   }
 *
 *   @Override
 *   protected StepPlan plan(Input input, StepContext context) {
 *     return StepPlan.of("would greet " + input.name() + " " + input.times() + " time(s)");
 *   }
 *
 *   @Override
 *   protected StepResult execute(Input input, StepContext context) {
 *     for (int i = 0; i < input.times(); i++) {
 *       context.output().line("hello " + input.name());
 *     }
 *     return StepResult.succeeded(Map.of("greeted", input.name()));
 *   }
 * }
 * }</pre>
 *
 * and its schema, {@code src/main/resources/<package path>/greet.schema.json}:
 *
 * <pre>{@code
 * { "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "greet",
 *   "type": "object", "required": ["name"], "additionalProperties": false,
 *   "properties": {
 *     "name": { "type": "string", "minLength": 1, "description": "Who to greet." },
 *     "times": { "anyOf": [{ "type": "integer", "minimum": 1 },
 *                          { "type": "string", "pattern": "\\$\\{\\{.*\\}\\}" }] } } }
 * }</pre>
 *
 * Register an instance (engine built-ins in {@code BuiltinStepTypes}, cluster ones in {@code
 * KubernetesStepTypes}) and regenerate {@code intents/intent.schema.json} as its staleness test
 * says. A step type that waits without holding a thread extends {@link AsyncTypedStepType}.
 *
 * @param <I> the record the {@code with:} block is bound to
 */
public abstract class TypedStepType<I extends Record> implements StepType {

  /** Whether {@link #execute} changes anything outside the run; see {@link StepType#pure()}. */
  public enum Purity {
    /**
     * Only computes outputs from its input, at once, without I/O: pure, and {@link
     * StepType#instant()}.
     */
    INSTANT,
    /** Only computes outputs from its input, or only reads: the planner may run it. */
    PURE,
    /** May change things: never run during planning. */
    IMPURE
  }

  private final String name;
  private final String description;
  private final Purity purity;
  private final JsonNode schema;
  private final InputBinder<I> binder;

  /**
   * @param name the YAML {@code type:}; the schema is the resource {@code <name>.schema.json} in
   *     the package of the concrete class
   * @param description one line for {@code intentbot steps}
   * @param inputType the record {@code with:} is bound to
   * @param purity whether the step type only computes or reads
   */
  protected TypedStepType(String name, String description, Class<I> inputType, Purity purity) {
    this.name = name;
    this.description = description;
    this.purity = purity;
    this.schema = loadSchema(getClass(), name);
    this.binder = new InputBinder<>(name, inputType, schema);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  /** An {@link Purity#IMPURE} step type. */
  protected TypedStepType(String name, String description, Class<I> inputType) {
    this(name, description, inputType, Purity.IMPURE);
  }

  @Override
  public final boolean pure() {
    return purity != Purity.IMPURE;
  }

  @Override
  public final boolean instant() {
    return purity == Purity.INSTANT;
  }

  /** A copy of the schema from {@code <name>.schema.json}; callers may change it. */
  @Override
  public final JsonNode withSchema() {
    return schema.deepCopy();
  }

  /**
   * Binds and checks a rendered {@code with:} block.
   *
   * @throws InvalidStepInputException (or the record's own {@link IllegalArgumentException}) when
   *     it does not fit
   */
  public final I bind(StepInput input) {
    return binder.bind(input);
  }

  @Override
  public final StepPlan plan(StepInput input, StepContext context) {
    return plan(bind(input), context);
  }

  @Override
  public final StepResult execute(StepInput input, StepContext context)
      throws InterruptedException {
    I typed;
    try {
      typed = bind(input);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
    try {
      return execute(typed, context);
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  /** Describes what the step would do with this input, without doing it. */
  protected abstract StepPlan plan(I input, StepContext context);

  @Override
  public final List<Path> reads(StepInput input, StepContext context) {
    return reads(bind(input), context);
  }

  /** The files the step will read with this input; see {@link StepType#reads}. None by default. */
  protected List<Path> reads(I input, StepContext context) {
    return List.of();
  }

  /** Does the step with this input. */
  protected abstract StepResult execute(I input, StepContext context) throws InterruptedException;

  /**
   * Whether an exception from {@link #execute(Record, StepContext)} is an expected failure that
   * fails the step with its message (default: {@link IllegalArgumentException}); any other is a
   * programming error and propagates.
   */
  protected boolean failsTheStep(RuntimeException e) {
    return e instanceof IllegalArgumentException;
  }

  /** The failed result for an exception, or the exception again when it is not expected. */
  final StepResult failure(RuntimeException e) throws InterruptedException {
    if (!failsTheStep(e)) {
      throw e;
    }
    if (Thread.interrupted()) {
      InterruptedException interrupted = new InterruptedException(e.getMessage());
      interrupted.initCause(e);
      throw interrupted;
    }
    return StepResult.failed(e.getMessage() == null ? e.toString() : e.getMessage());
  }

  private static JsonNode loadSchema(Class<?> type, String name) {
    String resource = name + ".schema.json";
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "step type "
                + name
                + " has no schema: expected the resource "
                + resource
                + " next to "
                + type.getName());
      }
      return InputBinder.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }
}
