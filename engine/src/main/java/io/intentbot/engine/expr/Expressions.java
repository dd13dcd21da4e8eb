package io.intentbot.engine.expr;

import com.google.protobuf.NullValue;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates {@code ${{ }}} expressions with CEL (the Common Expression Language, as Kubernetes uses
 * it). CEL is sandboxed: an expression sees only the variables {@code params}, {@code steps},
 * {@code env} and {@code run}, and can call only CEL's standard functions and macros and its string
 * extension ({@code split}, {@code substring}, {@code lastIndexOf}, {@code replace}, {@code join},
 * {@code lowerAscii}, …), never Java. Compiled programs are cached; instances are thread-safe.
 */
public final class Expressions {

  /** The variables every expression may read. */
  public static final Set<String> VARIABLES = Set.of("params", "steps", "env", "run");

  private final Cel cel;
  private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

  public Expressions() {
    var builder =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings());
    for (String variable : VARIABLES) {
      builder.addVar(variable, MapType.create(SimpleType.STRING, SimpleType.DYN));
    }
    this.cel = builder.build();
  }

  private record Compiled(CelRuntime.Program program, List<Reference> references) {}

  /**
   * Compiles an expression and returns the paths it reads; throws {@link ExpressionException} with
   * CEL's message when it does not compile.
   */
  public List<Reference> check(String expression) {
    return compile(expression).references();
  }

  /** Evaluates one expression over the scope; the result is plain Java (Long, String, …). */
  public Object evaluate(String expression, Map<String, Object> scope) {
    Compiled compiled = compile(expression);
    try {
      try {
        return fromCel(compiled.program().eval(celScope(scope, compiled.references())));
      } catch (CelEvaluationException e) {
        // The whole scope, so that a failure reads the same as it always has.
        return fromCel(compiled.program().eval(celScope(scope)));
      }
    } catch (CelEvaluationException e) {
      throw new ExpressionException(
          "cannot evaluate '" + expression + "': " + cleanMessage(e.getMessage()));
    }
  }

  /** Renders a template: one expression keeps its type, anything else becomes text. */
  public Object render(Template template, Map<String, Object> scope) {
    if (template.isSingleExpression()) {
      return evaluate(template.parts().get(0).text(), scope);
    }
    StringBuilder out = new StringBuilder();
    for (Template.Part part : template.parts()) {
      out.append(part.expression() ? text(evaluate(part.text(), scope)) : part.text());
    }
    return out.toString();
  }

  /** Renders a string that may contain expressions. */
  public Object render(String value, Map<String, Object> scope) {
    return Template.containsExpression(value) ? render(Template.parse(value), scope) : value;
  }

  /** Renders every string inside a YAML value (maps and lists walked recursively). */
  public Object renderDeep(Object value, Map<String, Object> scope) {
    if (value instanceof String text) {
      return render(text, scope);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), renderDeep(v, scope)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(renderDeep(v, scope)));
      return out;
    }
    return value;
  }

  /**
   * Renders for a dry run: an expression that cannot be evaluated yet (it reads the output of a
   * step that has not run) becomes the placeholder {@code ⟨expression⟩}.
   */
  public Object renderLenient(Object value, Map<String, Object> scope) {
    if (value instanceof String text) {
      if (!Template.containsExpression(text)) {
        return text;
      }
      Template template;
      try {
        template = Template.parse(text);
      } catch (ExpressionException e) {
        return text;
      }
      if (template.isSingleExpression()) {
        return tryEvaluate(template.parts().get(0).text(), scope, true);
      }
      StringBuilder out = new StringBuilder();
      for (Template.Part part : template.parts()) {
        out.append(part.expression() ? text(tryEvaluate(part.text(), scope, false)) : part.text());
      }
      return out.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), renderLenient(v, scope)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(renderLenient(v, scope)));
      return out;
    }
    return value;
  }

  private Object tryEvaluate(String expression, Map<String, Object> scope, boolean typed) {
    try {
      return evaluate(expression, scope);
    } catch (ExpressionException e) {
      return PLACEHOLDER_OPEN + expression + PLACEHOLDER_CLOSE;
    }
  }

  /** Marks a value not known before the run, in dry-run descriptions. */
  public static final String PLACEHOLDER_OPEN = "\u27e8";

  public static final String PLACEHOLDER_CLOSE = "\u27e9";

  /** Whether a rendered value still holds a placeholder. */
  public static boolean hasPlaceholder(Object value) {
    return String.valueOf(value).contains(PLACEHOLDER_OPEN);
  }

  /** Whether an {@code if:} condition holds; it must evaluate to a boolean. */
  public boolean test(String condition, Map<String, Object> scope) {
    String expression = condition.trim();
    if (Template.containsExpression(expression)) {
      Object rendered = render(expression, scope);
      return truth(condition, rendered);
    }
    return truth(condition, evaluate(expression, scope));
  }

  private static boolean truth(String condition, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ExpressionException(
        "condition '" + condition + "' must be true or false, got '" + value + "'");
  }

  /** How a value reads inside text. */
  public static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(value);
  }

  private Compiled compile(String expression) {
    Compiled cached = cache.get(expression);
    if (cached != null) {
      return cached;
    }
    CelValidationResult result = cel.compile(expression);
    if (result.hasError()) {
      throw new ExpressionException(
          "invalid expression '" + expression + "': " + firstLine(result.getErrorString()));
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      Compiled compiled = new Compiled(cel.createProgram(ast), referencesOf(ast.getExpr()));
      if (cache.size() < 10_000) {
        cache.put(expression, compiled);
      }
      return compiled;
    } catch (CelValidationException | CelEvaluationException e) {
      throw new ExpressionException(
          "invalid expression '" + expression + "': " + cleanMessage(e.getMessage()));
    }
  }

  private static List<Reference> referencesOf(CelExpr root) {
    List<Reference> references = new ArrayList<>();
    collect(root, references);
    return references;
  }

  private static void collect(CelExpr expr, List<Reference> out) {
    LinkedList<String> path = pathOf(expr);
    if (path != null) {
      out.add(new Reference(path));
      return;
    }
    switch (expr.getKind()) {
      case SELECT -> collect(expr.select().operand(), out);
      case CALL -> {
        expr.call().target().ifPresent(t -> collect(t, out));
        expr.call().args().forEach(a -> collect(a, out));
      }
      case LIST -> expr.list().elements().forEach(e -> collect(e, out));
      case MAP ->
          expr.map()
              .entries()
              .forEach(
                  e -> {
                    collect(e.key(), out);
                    collect(e.value(), out);
                  });
      case COMPREHENSION -> {
        var c = expr.comprehension();
        collect(c.iterRange(), out);
        collect(c.accuInit(), out);
        collect(c.loopCondition(), out);
        collect(c.loopStep(), out);
        collect(c.result(), out);
      }
      default -> {}
    }
  }

  /** The constant path of a chain of selections/indexes rooted at a known variable, or null. */
  private static LinkedList<String> pathOf(CelExpr expr) {
    switch (expr.getKind()) {
      case IDENT -> {
        String name = expr.ident().name();
        if (!VARIABLES.contains(name)) {
          return null;
        }
        LinkedList<String> path = new LinkedList<>();
        path.add(name);
        return path;
      }
      case SELECT -> {
        if (expr.select().testOnly()) {
          return null;
        }
        LinkedList<String> path = pathOf(expr.select().operand());
        if (path != null) {
          path.add(expr.select().field());
        }
        return path;
      }
      case CALL -> {
        var call = expr.call();
        if (call.function().equals("_[_]")
            && call.args().size() == 2
            && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && call.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
          LinkedList<String> path = pathOf(call.args().get(0));
          if (path != null) {
            path.add(call.args().get(1).constant().stringValue());
          }
          return path;
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private static Object toCel(Object value) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(toCel(v)));
      return out;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.doubleValue();
    }
    if (value instanceof java.math.BigInteger i) {
      return i.longValue();
    }
    if (value instanceof java.time.Duration d) {
      return io.intentbot.engine.text.Durations.format(d);
    }
    if (value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean) {
      return value;
    }
    return String.valueOf(value);
  }

  /**
   * The scope for CEL with, under {@code steps}, only the steps the expression names (all of them
   * when it reads {@code steps} as a whole, e.g. {@code size(steps)} or {@code steps[name]}):
   * converting every earlier step's outputs for each expression made rendering a run quadratic in
   * its steps. An expression can only reach the steps its references name, so the result is the
   * same; an evaluation that fails on it is done again on the whole scope.
   */
  private static Map<String, ?> celScope(Map<String, Object> scope, List<Reference> references) {
    if (!(scope.get("steps") instanceof Map<?, ?> steps) || steps.isEmpty()) {
      return celScope(scope);
    }
    Map<String, Object> named = new LinkedHashMap<>();
    for (Reference reference : references) {
      if (!reference.root().equals("steps")) {
        continue;
      }
      if (reference.path().size() < 2) {
        return celScope(scope);
      }
      String step = reference.path().get(1);
      if (steps.containsKey(step)) {
        named.put(step, steps.get(step));
      }
    }
    Map<String, Object> pruned = new LinkedHashMap<>(scope);
    pruned.put("steps", named);
    return celScope(pruned);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> celScope(Map<String, Object> scope) {
    return (Map<String, ?>) toCel((Object) scope);
  }

  private static Object fromCel(Object value) {
    if (value instanceof NullValue || value instanceof dev.cel.common.values.NullValue) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), fromCel(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(fromCel(v)));
      return out;
    }
    if (value instanceof dev.cel.runtime.CelUnknownSet) {
      throw new ExpressionException("expression read a value that is not known");
    }
    return value;
  }

  private static String firstLine(String text) {
    String cleaned = text.replace("ERROR: <input>:", "at ");
    return cleaned.lines().findFirst().orElse(cleaned);
  }

  private static String cleanMessage(String message) {
    if (message == null) {
      return "unknown error";
    }
    return message.replace("evaluation error at <input>:", "at character ").trim();
  }
}
