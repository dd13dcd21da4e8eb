package io.intentbot.kubernetes.network;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackendBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.apply.Applier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.ingress}: creates or updates a {@code networking.k8s.io/v1} Ingress routing one
 * host and path to a service port, optionally with TLS. Refuses a host that another Ingress (in any
 * namespace) already routes.
 *
 * <pre>{@code
 * with: { name: web, host: shop.example.com, path: /, service: web, port: 8080,
 *         tls_secret: shop-tls, ingress_class: nginx, path_type: Prefix }
 * }</pre>
 *
 * Outputs: {@code name}, {@code host}, {@code url}, {@code action} (created, changed, unchanged).
 */
public final class IngressStepType extends KubernetesStepType<IngressStepType.Input> {

  public static final String NAME = "kubernetes.ingress";

  /** The {@code with:} block; {@code path} defaults to {@code /}, {@code path_type} to Prefix. */
  public record Input(
      String namespace,
      String name,
      String host,
      String path,
      String pathType,
      String service,
      String port,
      String tlsSecret,
      String ingressClass)
      implements Namespaced {
    public Input {
      path = Inputs.or(path, "/");
      pathType = Inputs.or(pathType, "Prefix");
    }
  }

  public IngressStepType(ClusterAccess access) {
    super(NAME, "Create or update an Ingress for a host, path and service", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("name", "host", "url", "action"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String host = input.host();
    Optional<String> conflict = conflict(cluster, input.name(), host);
    if (conflict.isPresent()) {
      return StepPlan.of("Route " + host + " (would fail: " + conflict.get() + ")");
    }
    Applier.Change change = Applier.compare(cluster, desired(input, cluster));
    return StepPlan.of(
        change.action().verb() + " Ingress " + cluster.ref(input.name()) + ": " + route(input),
        change.differences());
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    String name = input.name();
    String host = input.host();
    Optional<String> conflict = conflict(cluster, name, host);
    if (conflict.isPresent()) {
      return StepResult.failed(conflict.get());
    }
    Applier.Change change = Applier.compare(cluster, desired(input, cluster));
    Applier.apply(cluster, change, context.output());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("name", name);
    outputs.put("host", host);
    outputs.put("url", (input.tlsSecret() != null ? "https://" : "http://") + host + input.path());
    outputs.put("action", change.action().word());
    return StepResult.succeeded(outputs);
  }

  private static String route(Input input) {
    return input.host()
        + input.path()
        + " -> service "
        + input.service()
        + ":"
        + input.port()
        + (input.tlsSecret() == null ? "" : " (TLS from secret " + input.tlsSecret() + ")");
  }

  private static Optional<String> conflict(Cluster cluster, String name, String host) {
    List<Ingress> all =
        cluster.call(
            "list ingresses", c -> c.network().v1().ingresses().inAnyNamespace().list().getItems());
    for (Ingress other : all) {
      boolean same =
          name.equals(other.getMetadata().getName())
              && cluster.namespace().equals(other.getMetadata().getNamespace());
      if (same || other.getSpec() == null || other.getSpec().getRules() == null) {
        continue;
      }
      for (IngressRule rule : other.getSpec().getRules()) {
        if (host.equalsIgnoreCase(rule.getHost())) {
          return Optional.of(
              "host "
                  + host
                  + " is already routed by ingress "
                  + other.getMetadata().getNamespace()
                  + "/"
                  + other.getMetadata().getName());
        }
      }
    }
    return Optional.empty();
  }

  private static Ingress desired(Input input, Cluster cluster) {
    String port = input.port();
    IngressServiceBackendBuilder backend =
        new IngressServiceBackendBuilder().withName(input.service());
    if (port.matches("\\d+")) {
      backend.withNewPort().withNumber(Integer.parseInt(port)).endPort();
    } else {
      backend.withNewPort().withName(port).endPort();
    }
    IngressBuilder ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName(input.name())
            .withNamespace(cluster.namespace())
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(input.ingressClass())
            .addNewRule()
            .withHost(input.host())
            .withNewHttp()
            .addNewPath()
            .withPath(input.path())
            .withPathType(input.pathType())
            .withNewBackend()
            .withService(backend.build())
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec();
    Optional.ofNullable(input.tlsSecret())
        .ifPresent(
            secret ->
                ingress
                    .editSpec()
                    .addNewTl()
                    .withHosts(input.host())
                    .withSecretName(secret)
                    .endTl()
                    .endSpec());
    return ingress.build();
  }
}
