package io.intentbot.engine.params;

import java.util.List;

/** Either bound parameters or every error found, each naming the parameter and the fix. */
public record BindResult(BoundParameters parameters, List<String> errors) {

  public BindResult {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
