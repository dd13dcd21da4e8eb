package io.intentbot.kubernetes.network;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.apply.Applier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.ingress}: creates or updates a {@code networking.k8s.io/v1} Ingress routing one
 * host and path to a service port, optionally with TLS. Refuses a host and path that another
 * Ingress of the same class already routes (in any namespace; in the step's own where listing every
 * namespace is forbidden). An update changes only this host's path and TLS secret: the Ingress's
 * other hosts, paths and TLS entries stay, as {@code kubectl edit} of one rule would leave them.
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
    Optional<String> conflict = conflict(cluster, input, context.output());
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
    Optional<String> conflict = conflict(cluster, input, context.output());
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

  /**
   * Another Ingress that routes the same host and path for the same class (an Ingress without a
   * class may be the default class's, so it counts as any). Listed in every namespace; where that
   * is forbidden (an impersonated user who may only read their namespace) in the step's namespace
   * only, saying so.
   */
  private static Optional<String> conflict(Cluster cluster, Input input, StepOutput output) {
    List<Ingress> all;
    try {
      all =
          cluster.call(
              "list ingresses in every namespace",
              c -> c.network().v1().ingresses().inAnyNamespace().list().getItems());
    } catch (ClusterAccessException e) {
      if (!forbidden(e)) {
        throw e;
      }
      output.line(
          "may not list Ingresses in every namespace: host "
              + input.host()
              + " checked against namespace "
              + cluster.namespace()
              + " only");
      all =
          cluster.call(
              "list ingresses in " + cluster.namespace(),
              c -> c.network().v1().ingresses().inNamespace(cluster.namespace()).list().getItems());
    }
    for (Ingress other : all) {
      boolean same =
          input.name().equals(other.getMetadata().getName())
              && cluster.namespace().equals(other.getMetadata().getNamespace());
      if (same || other.getSpec() == null || other.getSpec().getRules() == null) {
        continue;
      }
      String otherClass = other.getSpec().getIngressClassName();
      if (input.ingressClass() != null
          && otherClass != null
          && !input.ingressClass().equals(otherClass)) {
        continue;
      }
      for (IngressRule rule : other.getSpec().getRules()) {
        if (!input.host().equalsIgnoreCase(rule.getHost()) || rule.getHttp() == null) {
          continue;
        }
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
          if (samePath(input.path(), path.getPath())) {
            return Optional.of(
                "host "
                    + input.host()
                    + " path "
                    + input.path()
                    + " is already routed by ingress "
                    + other.getMetadata().getNamespace()
                    + "/"
                    + other.getMetadata().getName()
                    + (otherClass == null ? "" : " (class " + otherClass + ")"));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean samePath(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static boolean forbidden(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 403) {
        return true;
      }
    }
    return false;
  }

  /**
   * The Ingress with this route in it: the live one's other hosts, paths and TLS entries kept (an
   * update replaces only this host's path, and this host's TLS secret), else a new one.
   */
  private static Ingress desired(Input input, Cluster cluster) {
    Ingress fresh = fresh(input, cluster);
    Ingress live =
        cluster.call(
            "read ingress " + cluster.ref(input.name()),
            c ->
                c.network()
                    .v1()
                    .ingresses()
                    .inNamespace(cluster.namespace())
                    .withName(input.name())
                    .get());
    if (live == null || live.getSpec() == null) {
      return fresh;
    }
    IngressRule ours = fresh.getSpec().getRules().get(0);
    HTTPIngressPath ourPath = ours.getHttp().getPaths().get(0);
    List<IngressRule> rules = new ArrayList<>();
    boolean placed = false;
    for (IngressRule rule : Optional.ofNullable(live.getSpec().getRules()).orElse(List.of())) {
      if (!placed && input.host().equalsIgnoreCase(rule.getHost())) {
        List<HTTPIngressPath> paths = new ArrayList<>();
        boolean replaced = false;
        List<HTTPIngressPath> livePaths =
            rule.getHttp() == null ? List.of() : rule.getHttp().getPaths();
        for (HTTPIngressPath path : livePaths) {
          if (!replaced && samePath(input.path(), path.getPath())) {
            paths.add(ourPath);
            replaced = true;
          } else {
            paths.add(path);
          }
        }
        if (!replaced) {
          paths.add(ourPath);
        }
        rules.add(new IngressRuleBuilder(rule).withNewHttp().withPaths(paths).endHttp().build());
        placed = true;
      } else {
        rules.add(rule);
      }
    }
    if (!placed) {
      rules.add(ours);
    }
    List<IngressTLS> tls =
        new ArrayList<>(Optional.ofNullable(live.getSpec().getTls()).orElse(List.of()));
    if (input.tlsSecret() != null) {
      boolean covered = false;
      for (int i = 0; i < tls.size(); i++) {
        IngressTLS entry = tls.get(i);
        if (input.tlsSecret().equals(entry.getSecretName())) {
          List<String> hosts =
              new ArrayList<>(Optional.ofNullable(entry.getHosts()).orElse(List.of()));
          if (hosts.stream().noneMatch(input.host()::equalsIgnoreCase)) {
            hosts.add(input.host());
          }
          tls.set(i, new IngressTLSBuilder(entry).withHosts(hosts).build());
          covered = true;
        }
      }
      if (!covered) {
        tls.add(fresh.getSpec().getTls().get(0));
      }
    }
    return new IngressBuilder(fresh)
        .editSpec()
        .withIngressClassName(
            input.ingressClass() != null
                ? input.ingressClass()
                : live.getSpec().getIngressClassName())
        .withRules(rules)
        .withTls(tls.isEmpty() ? null : tls)
        .endSpec()
        .build();
  }

  private static Ingress fresh(Input input, Cluster cluster) {
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
