package io.intentbot.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** CEL's string extension, which intents use for version arithmetic and lists typed as text. */
class ExpressionsStringsTest {

  private final Expressions expressions = new Expressions();

  @Test
  void splitsJoinsAndCutsStrings() {
    Map<String, Object> scope =
        Map.of("params", Map.of("image", "registry/web:1.4.2", "groups", "a,b"));

    assertThat(
            expressions.evaluate(
                "params.image.substring(params.image.lastIndexOf(':') + 1)", scope))
        .isEqualTo("1.4.2");
    assertThat(expressions.evaluate("string(int('1.4.2'.split('.')[2]) + 1)", scope))
        .isEqualTo("3");
    assertThat(expressions.evaluate("params.groups.split(',').map(g, g + '!').join(' ')", scope))
        .isEqualTo("a! b!");
    assertThat(expressions.evaluate("'{app}-x'.replace('{app}', 'web')", scope)).isEqualTo("web-x");
  }
}
