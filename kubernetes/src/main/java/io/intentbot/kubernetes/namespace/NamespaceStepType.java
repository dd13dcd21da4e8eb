package io.intentbot.kubernetes.namespace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.apply.Applier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
public final class NamespaceStepType extends KubernetesStepType<NamespaceStepType.Input> {

  /**
   * The LimitRange given when a quota limits CPU or memory and {@code limits} is absent: with such
   * a quota the API server rejects every pod that does not ask for them ("must specify
   * limits.cpu"), intentbot's own debug pod included.
   */
  static final Map<String, Object> DEFAULT_LIMITS =
      Map.of(
          "default", Map.of("cpu", "500m", "memory", "512Mi"),
          "default_request", Map.of("cpu", "100m", "memory", "128Mi"));

  static boolean quotaOnComputeResources(Map<String, String> quota) {
    return quota != null
        && quota.keySet().stream()
            .anyMatch(
                k ->
                    k.equals("cpu")
                        || k.equals("memory")
                        || k.matches("(requests|limits)\\.(cpu|memory)"));
  }

  public static final String NAME = "kubernetes.namespace";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "intentbot";
  public static final String CREATED_BY_ANNOTATION = "intentbot.io/created-by-run";

  /**
   * The {@code with:} block; {@code quota} and {@code limits} stay null when absent (then no
   * ResourceQuota or LimitRange is managed).
   */
  public record Input(
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, String> quota,
      Map<String, Object> limits,
      List<Object> roleBindings,
      boolean adopt)
      implements Namespaced {
    public Input {
      labels = Inputs.map(labels);
      quota = quota == null ? null : Inputs.map(quota);
      limits = limits == null ? null : Inputs.map(limits);
      roleBindings = Inputs.list(roleBindings);
    }
  }

  public NamespaceStepType(ClusterAccess access) {
    super(
        NAME,
        "Create a namespace with labels, quota, limits and role bindings",
        Input.class,
        access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("namespace", "created", "objects"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
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
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
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

  private static String name(Input input, Cluster cluster) {
    String name = input.name() == null ? cluster.namespace() : input.name();
    requireName(name);
    return name;
  }

  private static Namespace live(Cluster cluster, String name) {
    return cluster.call("read namespace " + name, c -> c.namespaces().withName(name).get());
  }

  private static String refusal(Input input, Namespace live, String name) {
    if (live == null || input.adopt()) {
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
      Input input, StepContext context, Cluster inNamespace, String name, Namespace live) {
    Cluster cluster = inNamespace.inNamespace(name);
    List<HasMetadata> desired = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>(input.labels());
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
    if (input.quota() != null) {
      desired.add(
          new ResourceQuotaBuilder()
              .withNewMetadata()
              .withName("intentbot-quota")
              .withNamespace(name)
              .endMetadata()
              .withNewSpec()
              .withHard(quantities(input.quota()))
              .endSpec()
              .build());
    }
    Map<String, Object> limits =
        input.limits() != null
            ? input.limits()
            : quotaOnComputeResources(input.quota()) ? DEFAULT_LIMITS : null;
    if (limits != null) {
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
    for (Object item : input.roleBindings()) {
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
