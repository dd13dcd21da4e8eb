package io.intentbot.engine.step;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one place that maps a YAML {@code type:} to its {@link StepType}. Built once at start-up; a
 * second step type with the same name is refused there, and a step naming an unknown type fails
 * when the intents load.
 */
public final class StepTypeRegistry {

  private final Map<String, StepType> types;

  private StepTypeRegistry(Map<String, StepType> types) {
    this.types = Collections.unmodifiableMap(types);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<StepType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** All step types, sorted by name. */
  public Collection<StepType> all() {
    return types.values();
  }

  public java.util.Set<String> names() {
    return types.keySet();
  }

  /** Collects step types and refuses duplicates. */
  public static final class Builder {
    private final Map<String, StepType> types = new TreeMap<>();

    private Builder() {}

    public Builder register(StepType type) {
      String name = type.name();
      if (name == null || !name.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*")) {
        throw new IllegalArgumentException("invalid step type name '" + name + "'");
      }
      StepType previous = types.putIfAbsent(name, type);
      if (previous != null) {
        throw new IllegalStateException(
            "step type '"
                + name
                + "' is registered twice: by "
                + previous.getClass().getName()
                + " and by "
                + type.getClass().getName());
      }
      return this;
    }

    public Builder registerAll(Collection<? extends StepType> all) {
      all.forEach(this::register);
      return this;
    }

    public StepTypeRegistry build() {
      return new StepTypeRegistry(new TreeMap<>(types));
    }
  }
}
