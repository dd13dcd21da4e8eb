package io.intentbot.kubernetes.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Namespaced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A release's revisions from {@code helm history -o json}, newest first. */
final class HelmHistory {

  private static final ObjectMapper JSON = Json.MAPPER;

  private HelmHistory() {}

  static List<Map<String, Object>> read(
      HelmCli helm, String release, long max, Namespaced input, StepContext context)
      throws InterruptedException {
    List<String> args =
        new ArrayList<>(List.of("history", release, "--max", String.valueOf(max), "-o", "json"));
    args.addAll(HelmStepType.target(input, context));
    HelmCli.Result result = helm.run(args, Duration.ofMinutes(1), line -> {});
    if (!result.ok()) {
      throw new ClusterAccessException("helm history " + release + " failed: " + result.error());
    }
    try {
      List<Map<String, Object>> entries =
          JSON.readValue(
              result.stdout().isBlank() ? "[]" : result.stdout(), new TypeReference<>() {});
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> entry : entries) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("revision", ((Number) entry.getOrDefault("revision", 0)).longValue());
        row.put("updated", String.valueOf(entry.getOrDefault("updated", "")));
        row.put("status", String.valueOf(entry.getOrDefault("status", "")));
        row.put("chart", String.valueOf(entry.getOrDefault("chart", "")));
        row.put("app_version", String.valueOf(entry.getOrDefault("app_version", "")));
        row.put("description", String.valueOf(entry.getOrDefault("description", "")));
        rows.add(row);
      }
      rows.sort(
          Comparator.comparingLong((Map<String, Object> r) -> (Long) r.get("revision")).reversed());
      return rows;
    } catch (JsonProcessingException | ClassCastException e) {
      throw new ClusterAccessException("could not read helm history output: " + e.getMessage(), e);
    }
  }

  /** The deployed revision, else the newest; 0 when there is none. */
  static long current(List<Map<String, Object>> rows) {
    return rows.stream()
        .filter(r -> "deployed".equals(r.get("status")))
        .map(r -> (Long) r.get("revision"))
        .findFirst()
        .orElse(rows.isEmpty() ? 0L : (Long) rows.get(0).get("revision"));
  }
}
