package io.intentbot.kubernetes.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Velero wrote about a backup or restore that did not go cleanly, read the way {@code velero
 * backup describe} and {@code velero backup logs} read it: the results file ({@code {"errors":
 * Result, "warnings": Result}}, each Result's messages under {@code velero}, {@code cluster} and
 * {@code namespaces}, each message as Velero's log counter writes it, {@code " resource: /pods
 * name: /db-0 message: /Error executing hook error: /no such container"}) and the log's error and
 * warning lines (logrus text: {@code time="..." level=error msg="..." error="..."}).
 *
 * @param errors the results' error messages, rendered {@code namespace: pods db-0: message: error}
 * @param warnings the results' warning messages, rendered alike
 * @param logLines the log's error lines (else its warning lines), {@code level: msg: error
 *     (ns/name)}
 */
record VeleroReport(List<String> errors, List<String> warnings, List<String> logLines) {

  /** How many messages of each kind are kept: the first ones, as chat shows them. */
  static final int FIRST = 10;

  static final VeleroReport EMPTY = new VeleroReport(List.of(), List.of(), List.of());

  private static final Pattern FIELD =
      Pattern.compile("([A-Za-z_][\\w.]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
  private static final Pattern ENTRY_PART = Pattern.compile("\\s*(resource|name|message|error): /");

  /**
   * The report of a results file and a log, either null when it could not be read.
   *
   * @throws IllegalArgumentException when {@code results} is not Velero's results JSON
   */
  static VeleroReport of(String results, String log) {
    List<String> errors = List.of();
    List<String> warnings = List.of();
    if (results != null) {
      try {
        JsonNode tree = Json.MAPPER.readTree(results);
        errors = messages(tree.path("errors"));
        warnings = messages(tree.path("warnings"));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "the results file is not Velero's JSON: " + e.getMessage(), e);
      }
    }
    return new VeleroReport(errors, warnings, log == null ? List.of() : logLines(log));
  }

  private static List<String> messages(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.path("velero").forEach(m -> out.add("velero: " + entry(m.asText())));
    result.path("cluster").forEach(m -> out.add("cluster: " + entry(m.asText())));
    for (Map.Entry<String, JsonNode> ns : result.path("namespaces").properties()) {
      ns.getValue().forEach(m -> out.add(ns.getKey() + ": " + entry(m.asText())));
    }
    return out.size() > FIRST ? List.copyOf(out.subList(0, FIRST)) : List.copyOf(out);
  }

  /** {@code " resource: /pods name: /db-0 message: /m error: /e"} as {@code "pods db-0: m: e"}. */
  static String entry(String raw) {
    Matcher m = ENTRY_PART.matcher(raw);
    Map<String, String> parts = new LinkedHashMap<>();
    String key = null;
    int from = 0;
    while (m.find()) {
      if (key != null) {
        parts.put(key, raw.substring(from, m.start()).strip());
      }
      key = m.group(1);
      from = m.end();
    }
    if (key == null) {
      return raw.strip();
    }
    parts.put(key, raw.substring(from).strip());
    String subject =
        String.join(" ", parts.getOrDefault("resource", ""), parts.getOrDefault("name", ""))
            .strip();
    String text = parts.getOrDefault("message", "");
    if (parts.containsKey("error")) {
      text = text.isEmpty() ? parts.get("error") : text + ": " + parts.get("error");
    }
    return subject.isEmpty() ? text : subject + ": " + text;
  }

  private static List<String> logLines(String log) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String line : log.split("\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      Matcher m = FIELD.matcher(line);
      while (m.find()) {
        fields.put(m.group(1), unquoted(m.group(2)));
      }
      String level = fields.get("level");
      List<String> into =
          "error".equals(level) || "fatal".equals(level)
              ? errors
              : "warning".equals(level) ? warnings : null;
      if (into == null || into.size() >= FIRST) {
        continue;
      }
      String text = level + ": " + fields.getOrDefault("msg", line.strip());
      if (fields.containsKey("error")) {
        text += ": " + fields.get("error");
      }
      if (fields.containsKey("name")) {
        text +=
            " ("
                + (fields.containsKey("namespace") ? fields.get("namespace") + "/" : "")
                + fields.get("name")
                + ")";
      }
      into.add(text);
    }
    return List.copyOf(errors.isEmpty() ? warnings : errors);
  }

  private static String unquoted(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }
}
