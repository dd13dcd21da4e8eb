package io.intentbot.kubernetes.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.apply}: creates or updates objects from manifests (rendered templates) and
 * reports each one as created, changed or unchanged. An update lays the manifest over the live
 * object (maps merge, lists and values replace) and writes it back whole, so fields the manifest
 * does not mention are kept. The dry run lists every field that would change.
 *
 * <pre>{@code
 * with:
 *   manifests: |                 # YAML text, several documents allowed
 *     apiVersion: v1
 *     kind: ConfigMap
 *     metadata: { name: web-config }
 *     data: { LOG_LEVEL: info }
 * with:
 *   manifests:                   # or a list of objects
 *     - { apiVersion: v1, kind: ConfigMap, metadata: { name: web-config }, data: { A: "1" } }
 * }</pre>
 *
 * Objects without a namespace go to the step's namespace. Outputs: {@code created}, {@code
 * changed}, {@code unchanged} (lists of {@code Kind/namespace/name}) and {@code objects} (each with
 * {@code kind, namespace, name, action}).
 */
public final class ApplyStepType extends KubernetesStepType<ApplyStepType.Input> {

  public static final String NAME = "kubernetes.apply";

  /** The {@code with:} block: {@code manifests} is YAML text or a list of objects. */
  public record Input(String namespace, Object manifests) implements Namespaced {}

  private static final ObjectMapper YAML = Json.YAML;

  public ApplyStepType(ClusterAccess access) {
    super(NAME, "Create or update objects from manifests", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("created", "changed", "unchanged", "objects"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    List<String> details = new ArrayList<>();
    Map<Applier.Action, Integer> counts = new EnumMap<>(Applier.Action.class);
    List<Applier.Change> changes = changes(input, cluster);
    List<String> refused = new ArrayList<>();
    for (Applier.Change change : changes) {
      counts.merge(change.action(), 1, Integer::sum);
      details.addAll(change.describe());
      Applier.dryRun(cluster, change)
          .ifPresent(
              answer -> {
                details.add("  " + answer);
                if (!answer.startsWith(Applier.DRY_RUN_NOT_ALLOWED)) {
                  refused.add(change.ref());
                }
              });
    }
    String failing =
        refused.isEmpty()
            ? ""
            : " (would fail: the API server refuses " + String.join(", ", refused) + ")";
    return StepPlan.of(
        "Apply "
            + changes.size()
            + " objects: "
            + counts.getOrDefault(Applier.Action.CREATED, 0)
            + " to create, "
            + counts.getOrDefault(Applier.Action.CHANGED, 0)
            + " to change, "
            + counts.getOrDefault(Applier.Action.UNCHANGED, 0)
            + " unchanged"
            + failing,
        details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    Map<Applier.Action, List<String>> byAction = new EnumMap<>(Applier.Action.class);
    for (Applier.Action action : Applier.Action.values()) {
      byAction.put(action, new ArrayList<>());
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Applier.Change change : changes(input, cluster)) {
      Applier.apply(cluster, change, context.output());
      byAction.get(change.action()).add(change.ref());
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("kind", change.desired().getKind());
      String namespace = change.desired().getMetadata().getNamespace();
      object.put("namespace", namespace == null ? "" : namespace);
      object.put("name", change.desired().getMetadata().getName());
      object.put("action", change.action().word());
      objects.add(object);
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("created", byAction.get(Applier.Action.CREATED));
    outputs.put("changed", byAction.get(Applier.Action.CHANGED));
    outputs.put("unchanged", byAction.get(Applier.Action.UNCHANGED));
    outputs.put("objects", objects);
    return StepResult.succeeded(outputs);
  }

  private List<Applier.Change> changes(Input input, Cluster cluster) {
    KubernetesSerialization serialization = cluster.client().getKubernetesSerialization();
    List<Applier.Change> changes = new ArrayList<>();
    for (Map<String, Object> manifest : manifests(input)) {
      changes.add(
          Applier.compare(cluster, serialization.convertValue(manifest, HasMetadata.class), true));
    }
    return changes;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> manifests(Input input) {
    Object raw = input.manifests();
    List<Map<String, Object>> manifests = new ArrayList<>();
    if (raw instanceof String text) {
      try (YAMLParser parser = Json.YAML_FACTORY.createParser(text)) {
        for (var it = YAML.readValues(parser, Map.class); it.hasNext(); ) {
          Map<String, Object> doc = (Map<String, Object>) it.next();
          if (doc != null && !doc.isEmpty()) {
            manifests.add(doc);
          }
        }
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "'manifests' is not valid YAML: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw new IllegalArgumentException("'manifests' could not be read: " + e.getMessage());
      }
    } else {
      for (Object item : raw instanceof List<?> list ? list : List.of(raw)) {
        if (!(item instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("each entry of 'manifests' must be an object");
        }
        manifests.add((Map<String, Object>) map);
      }
    }
    for (Map<String, Object> manifest : manifests) {
      if (manifest.get("apiVersion") == null || manifest.get("kind") == null) {
        throw new IllegalArgumentException("every manifest needs apiVersion and kind");
      }
    }
    return manifests;
  }
}
