package io.intentbot.kubernetes.network;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackendBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.UntypedKubernetesStepType;
import io.intentbot.kubernetes.apply.Applier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
public final class IngressStepType extends UntypedKubernetesStepType {

  public static final String NAME = "kubernetes.ingress";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["name","host","service","port"],
       "properties":{
         "namespace":{"type":"string"},
         "name":{"type":"string","minLength":1},
         "host":{"type":"string","minLength":1},
         "path":{"type":"string","description":"default /"},
         "path_type":{"enum":["Prefix","Exact","ImplementationSpecific"]},
         "service":{"type":"string","minLength":1},
         "port":{"type":["integer","string"],"description":"port number or name"},
         "tls_secret":{"type":"string"},
         "ingress_class":{"type":"string"}}}
      """;

  public IngressStepType(ClusterAccess access) {
    super(access, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Create or update an Ingress for a host, path and service";
  }

  @Override
  protected StepPlan plan(StepInput input, StepContext context, Cluster cluster) {
    String host = input.string("host");
    Optional<String> conflict = conflict(cluster, input.string("name"), host);
    if (conflict.isPresent()) {
      return StepPlan.of("Route " + host + " (would fail: " + conflict.get() + ")");
    }
    Applier.Change change = Applier.compare(cluster, desired(input, cluster));
    return StepPlan.of(
        change.action().verb()
            + " Ingress "
            + cluster.ref(input.string("name"))
            + ": "
            + route(input),
        change.differences());
  }

  @Override
  protected StepResult execute(StepInput input, StepContext context, Cluster cluster) {
    String name = input.string("name");
    String host = input.string("host");
    Optional<String> conflict = conflict(cluster, name, host);
    if (conflict.isPresent()) {
      return StepResult.failed(conflict.get());
    }
    Applier.Change change = Applier.compare(cluster, desired(input, cluster));
    Applier.apply(cluster, change, context.output());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("name", name);
    outputs.put("host", host);
    outputs.put(
        "url",
        (input.has("tls_secret") ? "https://" : "http://") + host + input.string("path", "/"));
    outputs.put("action", change.action().word());
    return StepResult.succeeded(outputs);
  }

  private static String route(StepInput input) {
    return input.string("host")
        + input.string("path", "/")
        + " -> service "
        + input.string("service")
        + ":"
        + input.string("port")
        + input.optionalString("tls_secret").map(s -> " (TLS from secret " + s + ")").orElse("");
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

  private static Ingress desired(StepInput input, Cluster cluster) {
    String port = input.string("port");
    IngressServiceBackendBuilder backend =
        new IngressServiceBackendBuilder().withName(input.string("service"));
    if (port.matches("\\d+")) {
      backend.withNewPort().withNumber(Integer.parseInt(port)).endPort();
    } else {
      backend.withNewPort().withName(port).endPort();
    }
    IngressBuilder ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName(input.string("name"))
            .withNamespace(cluster.namespace())
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(input.optionalString("ingress_class").orElse(null))
            .addNewRule()
            .withHost(input.string("host"))
            .withNewHttp()
            .addNewPath()
            .withPath(input.string("path", "/"))
            .withPathType(input.string("path_type", "Prefix"))
            .withNewBackend()
            .withService(backend.build())
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec();
    input
        .optionalString("tls_secret")
        .ifPresent(
            secret ->
                ingress
                    .editSpec()
                    .addNewTl()
                    .withHosts(input.string("host"))
                    .withSecretName(secret)
                    .endTl()
                    .endSpec());
    return ingress.build();
  }
}
