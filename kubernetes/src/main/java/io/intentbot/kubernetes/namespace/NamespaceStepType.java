package io.intentbot.kubernetes.namespace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.UntypedKubernetesStepType;
import io.intentbot.kubernetes.apply.Applier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kubernetes.namespace}: creates (or brings up to date) a namespace with labels, a
 * ResourceQuota ({@code intentbot-quota}), a LimitRange ({@code intentbot-limits}) and RoleBindings
 * of groups to cluster roles. Namespaces it creates carry the label {@value
 * #MANAGED_BY_LABEL}={@value #MANAGED_BY}; it refuses to touch a namespace without that label
 * unless {@code adopt: true}, which adds the label.
 *
 * <pre>{@code
 * with:
 *   name: shop-staging                      # default: the environment's namespace for the app
 *   labels: { team: shop }
 *   quota: { requests.cpu: "4", limits.memory: 8Gi, pods: "30" }
 *   limits: { default: { cpu: 500m, memory: 512Mi }, default_request: { cpu: 100m, memory: 128Mi } }
 *   role_bindings: [ { group: shop-devs, role: edit } ]
 *   adopt: false
 * }</pre>
 *
 * Outputs: {@code namespace}, {@code created} (boolean), {@code objects} ({@code Kind/name:
 * action}).
 */
public final class NamespaceStepType extends UntypedKubernetesStepType {

  public static final String NAME = "kubernetes.namespace";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "intentbot";
  public static final String CREATED_BY_ANNOTATION = "intentbot.io/created-by-run";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,
       "properties":{
         "namespace":{"type":"string"},
         "name":{"type":"string","description":"default: the environment's namespace for the app"},
         "labels":{"type":"object","additionalProperties":{"type":"string"}},
         "quota":{"type":"object","description":"ResourceQuota spec.hard"},
         "limits":{"type":"object","additionalProperties":false,
                   "properties":{"default":{"type":"object"},"default_request":{"type":"object"},
                                 "max":{"type":"object"},"min":{"type":"object"}}},
         "role_bindings":{"type":"array","items":{"type":"object","required":["group","role"],
                          "additionalProperties":false,
                          "properties":{"group":{"type":"string"},"role":{"type":"string"}}}},
         "adopt":{"type":["boolean","string"]}}}
      """;

  public NamespaceStepType(ClusterAccess access) {
    super(access, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Create a namespace with labels, quota, limits and role bindings";
  }

  @Override
  protected StepPlan plan(StepInput input, StepContext context, Cluster cluster) {
    String name = name(input, cluster);
    Namespace live = live(cluster, name);
    String refusal = refusal(input, live, name);
    if (refusal != null) {
      return StepPlan.of("Set up namespace " + name + " (would fail: " + refusal + ")");
    }
    List<String> details = new ArrayList<>();
    for (Applier.Change change : changes(input, context, cluster, name, live)) {
      details.addAll(change.describe());
    }
    return StepPlan.of((live == null ? "Create namespace " : "Update namespace ") + name, details);
  }

  @Override
  protected StepResult execute(StepInput input, StepContext context, Cluster cluster) {
    String name = name(input, cluster);
    Namespace live = live(cluster, name);
    String refusal = refusal(input, live, name);
    if (refusal != null) {
      return StepResult.failed(refusal);
    }
    Map<String, String> objects = new LinkedHashMap<>();
    for (Applier.Change change : changes(input, context, cluster, name, live)) {
      Applier.apply(cluster, change, context.output());
      objects.put(
          change.desired().getKind() + "/" + change.desired().getMetadata().getName(),
          change.action().word());
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("namespace", name);
    outputs.put("created", live == null);
    outputs.put("objects", objects);
    return StepResult.succeeded(outputs);
  }

  private static String name(StepInput input, Cluster cluster) {
    String name = input.optionalString("name").orElseGet(cluster::namespace);
    requireName(name);
    return name;
  }

  private static Namespace live(Cluster cluster, String name) {
    return cluster.call("read namespace " + name, c -> c.namespaces().withName(name).get());
  }

  private static String refusal(StepInput input, Namespace live, String name) {
    if (live == null || input.bool("adopt", false)) {
      return null;
    }
    Map<String, String> labels = live.getMetadata().getLabels();
    if (labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL))) {
      return null;
    }
    return "namespace "
        + name
        + " exists and was not created by intentbot (no label "
        + MANAGED_BY_LABEL
        + "="
        + MANAGED_BY
        + "); set 'adopt: true' to manage it";
  }

  private static List<Applier.Change> changes(
      StepInput input, StepContext context, Cluster inNamespace, String name, Namespace live) {
    Cluster cluster = inNamespace.inNamespace(name);
    List<HasMetadata> desired = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>(input.stringMap("labels"));
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    NamespaceBuilder namespace =
        new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    if (live == null) {
      namespace
          .editMetadata()
          .addToAnnotations(CREATED_BY_ANNOTATION, context.runId())
          .endMetadata();
    }
    desired.add(namespace.build());
    if (input.has("quota")) {
      desired.add(
          new ResourceQuotaBuilder()
              .withNewMetadata()
              .withName("intentbot-quota")
              .withNamespace(name)
              .endMetadata()
              .withNewSpec()
              .withHard(quantities(input.stringMap("quota")))
              .endSpec()
              .build());
    }
    if (input.has("limits")) {
      Map<String, Object> limits = input.map("limits");
      desired.add(
          new LimitRangeBuilder()
              .withNewMetadata()
              .withName("intentbot-limits")
              .withNamespace(name)
              .endMetadata()
              .withNewSpec()
              .addNewLimit()
              .withType("Container")
              .withDefault(quantities(strings(limits.get("default"))))
              .withDefaultRequest(quantities(strings(limits.get("default_request"))))
              .withMax(quantities(strings(limits.get("max"))))
              .withMin(quantities(strings(limits.get("min"))))
              .endLimit()
              .endSpec()
              .build());
    }
    for (Object item : input.list("role_bindings")) {
      Map<String, String> binding = strings(item);
      String group = binding.get("group");
      String role = binding.get("role");
      if (group == null || role == null) {
        throw new IllegalArgumentException("each role binding needs 'group' and 'role'");
      }
      desired.add(
          new RoleBindingBuilder()
              .withNewMetadata()
              .withName(
                  ("intentbot-" + role + "-" + group)
                      .toLowerCase(Locale.ROOT)
                      .replaceAll("[^a-z0-9.-]", "-"))
              .withNamespace(name)
              .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
              .endMetadata()
              .withNewRoleRef()
              .withApiGroup("rbac.authorization.k8s.io")
              .withKind("ClusterRole")
              .withName(role)
              .endRoleRef()
              .addNewSubject()
              .withApiGroup("rbac.authorization.k8s.io")
              .withKind("Group")
              .withName(group)
              .endSubject()
              .build());
    }
    List<Applier.Change> changes = new ArrayList<>();
    for (HasMetadata object : desired) {
      if (live == null) {
        // nothing can exist inside a namespace that does not exist yet
        changes.add(
            new Applier.Change(
                Applier.Action.CREATED, kindAndName(object, name), object, null, List.of()));
      } else {
        changes.add(Applier.compare(cluster, object));
      }
    }
    return changes;
  }

  private static String kindAndName(HasMetadata object, String namespace) {
    return object.getKind()
        + "/"
        + (object instanceof Namespace ? "" : namespace + "/")
        + object.getMetadata().getName();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> strings(Object value) {
    Map<String, String> result = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((k, v) -> result.put(k, String.valueOf(v)));
    }
    return result;
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, new Quantity(v)));
    return result.isEmpty() ? null : result;
  }

  static void requireName(String name) {
    if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid namespace name");
    }
  }
}
