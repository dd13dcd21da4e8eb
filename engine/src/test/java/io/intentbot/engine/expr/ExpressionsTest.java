package io.intentbot.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

  private final Expressions expressions = new Expressions();

  private Map<String, Object> scope() {
    Map<String, Object> params = new HashMap<>();
    params.put("app", "web");
    params.put("replicas", 3L);
    params.put("version", null);
    return Map.of(
        "params", params,
        "steps", Map.of("v", Map.of("outputs", Map.of("version", "1.2.3"))),
        "env", Map.of("name", "production", "namespace", "web", "protected", true),
        "run", Map.of("id", "r-1", "requester", "U1"));
  }

  @Test
  void aSingleExpressionKeepsItsTypeAndMixedTextBecomesAString() {
    assertThat(expressions.render("${{ params.replicas + 1 }}", scope())).isEqualTo(4L);
    assertThat(expressions.render("${{ env.protected }}", scope())).isEqualTo(true);
    assertThat(
            expressions.render(
                "img:${{ steps.v.outputs.version }} x${{ params.replicas }}", scope()))
        .isEqualTo("img:1.2.3 x3");
    assertThat(expressions.render("${{ params.version }}", scope())).isNull();
    assertThat(expressions.render("v=${{ params.version }}", scope())).isEqualTo("v=");
    assertThat(expressions.render("no expression", scope())).isEqualTo("no expression");
  }

  @Test
  void anExpressionSeesEveryStepItCanReachHoweverItReachesThem() {
    Map<String, Object> steps = new java.util.LinkedHashMap<>();
    steps.put("a", Map.of("outputs", Map.of("n", 1L)));
    steps.put("b", Map.of("outputs", Map.of("n", 2L)));
    Map<String, Object> scope =
        Map.of("params", Map.of("which", "b"), "steps", steps, "env", Map.of(), "run", Map.of());
    assertThat(expressions.evaluate("steps.b.outputs.n", scope)).isEqualTo(2L);
    assertThat(expressions.evaluate("steps['a'].outputs.n + steps.b.outputs.n", scope))
        .isEqualTo(3L);
    assertThat(expressions.evaluate("steps[params.which].outputs.n", scope)).isEqualTo(2L);
    assertThat(expressions.evaluate("size(steps)", scope)).isEqualTo(2L);
    assertThat(expressions.evaluate("steps.exists(s, s == 'a')", scope)).isEqualTo(true);
    assertThat(expressions.evaluate("has(steps.b) && !has(steps.c)", scope)).isEqualTo(true);
    assertThatThrownBy(() -> expressions.evaluate("steps.c.outputs.n", scope))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("cannot evaluate 'steps.c.outputs.n'");
  }

  @Test
  void conditionsMustBeBooleans() {
    assertThat(expressions.test("${{ params.replicas > 2 }}", scope())).isTrue();
    assertThat(expressions.test("params.app == 'api'", scope())).isFalse();
    assertThatThrownBy(() -> expressions.test("${{ params.app }}", scope()))
        .hasMessage("condition '${{ params.app }}' must be true or false, got 'web'");
  }

  @Test
  void expressionsAreSandboxed() {
    assertThatThrownBy(() -> expressions.check("java.lang.Runtime.getRuntime()"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("invalid expression 'java.lang.Runtime.getRuntime()'");
    assertThatThrownBy(() -> expressions.evaluate("exec('rm -rf /')", scope()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("undeclared reference to 'exec'");
  }

  @Test
  void reportsReferencesForLoadTimeChecks() {
    List<Reference> refs = expressions.check("params.app + steps.v.outputs['version'] + env.name");
    assertThat(refs)
        .extracting(Reference::toString)
        .containsExactly("params.app", "steps.v.outputs.version", "env.name");
  }

  @Test
  void missingValuesGiveAClearMessageAndDryRunsShowPlaceholders() {
    assertThatThrownBy(() -> expressions.evaluate("steps.later.outputs.x", scope()))
        .hasMessageStartingWith("cannot evaluate 'steps.later.outputs.x': ")
        .hasMessageContaining("later");
    assertThat(expressions.renderLenient("image:${{ steps.later.outputs.x }}", scope()))
        .isEqualTo("image:\u27e8steps.later.outputs.x\u27e9");
  }

  @Test
  void unclosedTemplatesAreReported() {
    assertThatThrownBy(() -> Template.parse("a ${{ params.app"))
        .hasMessage("'${{' at character 3 is never closed with '}}' in: a ${{ params.app");
  }
}
