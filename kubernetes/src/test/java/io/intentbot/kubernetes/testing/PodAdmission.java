package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaList;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's admission of a pod create, which the CRUD mock does not have, as kube-apiserver
 * runs it (read in kubernetes 1.32: {@code pkg/apis/core/v1/defaults.go}, {@code
 * plugin/pkg/admission/limitranger}, {@code plugin/pkg/admission/resourcequota} and {@code
 * pkg/quota/v1/evaluator/core/pods.go}), in that order:
 *
 * <ol>
 *   <li>Defaulting: a container with a limit and no request for a resource requests its limit.
 *   <li>LimitRanger: each {@code Container} limit of the namespace's LimitRanges fills what a
 *       container (init containers too) leaves unset, {@code default} into limits and {@code
 *       defaultRequest} into requests (a LimitRange's own defaulting applied first: {@code default}
 *       from {@code max}, {@code defaultRequest} from {@code default}, else {@code min}), and says
 *       so in the pod's {@code kubernetes.io/limit-ranger} annotation.
 *   <li>ResourceQuota: a quota whose hard limits name cpu or memory ({@code cpu}, {@code
 *       requests.memory}, {@code limits.cpu}, ...) refuses a pod any of whose containers does not
 *       set them: 403 {@code pods "NAME" is forbidden: failed quota: QUOTA: must specify limits.cpu
 *       for: web; requests.memory for: proxy,web}. Then usage: a pod that would take {@code pods},
 *       {@code requests.*}/{@code limits.*} (or bare {@code cpu}/{@code memory}) past a hard limit,
 *       counting the namespace's pods not yet Succeeded or Failed, is refused {@code exceeded
 *       quota: QUOTA, requested: pods=1, used: pods=3, limited: pods=3}.
 * </ol>
 *
 * A quota is taken as its quota controller has synced it ({@code status.hard} from {@code
 * spec.hard} when empty). Not modelled: LimitRanger's max/min/ratio validation, quota scopes (a
 * quota with scopes is answered 500, so that no test believes it is enforced), other resources. The
 * name in the message is the pod's name, else its {@code generateName}, as admission runs before a
 * name is generated.
 */
final class PodAdmission {

  private static final Pattern POD_CREATE =
      Pattern.compile("/api/v1/namespaces/([^/?]+)/pods(\\?.*)?");

  /** The resources a quota makes every container state (Kubernetes' "validationSet"). */
  private static final Set<String> MUST_SPECIFY =
      Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

  private final Dispatcher store;

  PodAdmission(Dispatcher store) {
    this.store = store;
  }

  /** What admission does with a request: lets it on (perhaps changed) or refuses it. */
  record Admitted(RecordedRequest request, MockResponse refusal) {}

  /** A pod create is defaulted and checked; any other request passes as it is. */
  Admitted admit(RecordedRequest request) {
    Matcher create = POD_CREATE.matcher(request.getPath());
    if (!"POST".equals(request.getMethod()) || !create.matches()) {
      return new Admitted(request, null);
    }
    String namespace = create.group(1);
    Pod pod = Serialization.unmarshal(request.getUtf8Body(), Pod.class);
    defaultRequestsFromLimits(pod);
    limitRanger(pod, namespace);
    String name =
        pod.getMetadata().getName() != null
            ? pod.getMetadata().getName()
            : pod.getMetadata().getGenerateName();
    // every quota's constraints first, then usage, as the ResourceQuota admission checks
    List<ResourceQuota> quotas = quotas(namespace);
    for (ResourceQuota quota : quotas) {
      if ((quota.getSpec().getScopes() != null && !quota.getSpec().getScopes().isEmpty())
          || quota.getSpec().getScopeSelector() != null) {
        return new Admitted(null, scopes(quota));
      }
      String refusal = constraints(quota, pod);
      if (refusal != null) {
        return new Admitted(null, forbidden(name, refusal));
      }
    }
    for (ResourceQuota quota : quotas) {
      String refusal = usage(quota, pod, namespace);
      if (refusal != null) {
        return new Admitted(null, forbidden(name, refusal));
      }
    }
    return new Admitted(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.POST,
            request.getPath(),
            request.getHeaders(),
            new Buffer().writeUtf8(Serialization.asJson(pod))),
        null);
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    return all;
  }

  private static void defaultRequestsFromLimits(Pod pod) {
    for (Container c : allContainers(pod)) {
      if (c.getResources() == null || c.getResources().getLimits() == null) {
        continue;
      }
      Map<String, Quantity> requests = requests(c);
      c.getResources().getLimits().forEach(requests::putIfAbsent);
    }
  }

  private static Map<String, Quantity> requests(Container c) {
    if (c.getResources() == null) {
      c.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
    }
    if (c.getResources().getRequests() == null) {
      c.getResources().setRequests(new LinkedHashMap<>());
    }
    return c.getResources().getRequests();
  }

  private static Map<String, Quantity> limits(Container c) {
    if (c.getResources() == null) {
      c.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
    }
    if (c.getResources().getLimits() == null) {
      c.getResources().setLimits(new LinkedHashMap<>());
    }
    return c.getResources().getLimits();
  }

  private void limitRanger(Pod pod, String namespace) {
    Map<String, Quantity> defaultLimits = new TreeMap<>();
    Map<String, Quantity> defaultRequests = new TreeMap<>();
    LimitRangeList ranges =
        get("/api/v1/namespaces/" + namespace + "/limitranges", LimitRangeList.class);
    for (var range : ranges.getItems()) {
      for (LimitRangeItem item : range.getSpec().getLimits()) {
        if (!"Container".equals(item.getType())) {
          continue;
        }
        Map<String, Quantity> def = new TreeMap<>(orEmpty(item.getDefault()));
        orEmpty(item.getMax()).forEach(def::putIfAbsent);
        Map<String, Quantity> defRequest = new TreeMap<>(orEmpty(item.getDefaultRequest()));
        def.forEach(defRequest::putIfAbsent);
        orEmpty(item.getMin()).forEach(defRequest::putIfAbsent);
        defaultLimits.putAll(def);
        defaultRequests.putAll(defRequest);
      }
    }
    if (defaultLimits.isEmpty() && defaultRequests.isEmpty()) {
      return;
    }
    List<String> said = new ArrayList<>();
    List<Container> init =
        pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    for (Container c : allContainers(pod)) {
      String kind = init.contains(c) ? "init container" : "container";
      List<String> setLimits = fill(limits(c), defaultLimits);
      List<String> setRequests = fill(requests(c), defaultRequests);
      if (!setRequests.isEmpty()) {
        said.add(String.join(", ", setRequests) + " request for " + kind + " " + c.getName());
      }
      if (!setLimits.isEmpty()) {
        said.add(String.join(", ", setLimits) + " limit for " + kind + " " + c.getName());
      }
    }
    if (!said.isEmpty()) {
      Map<String, String> annotations =
          pod.getMetadata().getAnnotations() == null
              ? new LinkedHashMap<>()
              : new LinkedHashMap<>(pod.getMetadata().getAnnotations());
      annotations.put(
          "kubernetes.io/limit-ranger", "LimitRanger plugin set: " + String.join("; ", said));
      pod.getMetadata().setAnnotations(annotations);
    }
  }

  private static List<String> fill(Map<String, Quantity> into, Map<String, Quantity> defaults) {
    List<String> set = new ArrayList<>();
    defaults.forEach(
        (k, v) -> {
          if (!into.containsKey(k)) {
            into.put(k, new Quantity(v.getAmount(), v.getFormat()));
            set.add(k);
          }
        });
    return set;
  }

  private static <V> Map<String, V> orEmpty(Map<String, V> map) {
    return map == null ? Map.of() : map;
  }

  private List<ResourceQuota> quotas(String namespace) {
    return get("/api/v1/namespaces/" + namespace + "/resourcequotas", ResourceQuotaList.class)
        .getItems()
        .stream()
        .sorted(Comparator.comparing(q -> q.getMetadata().getName()))
        .toList();
  }

  private static Map<String, Quantity> hard(ResourceQuota quota) {
    return quota.getStatus() != null
            && quota.getStatus().getHard() != null
            && !quota.getStatus().getHard().isEmpty()
        ? quota.getStatus().getHard()
        : orEmpty(quota.getSpec().getHard());
  }

  /** Why {@code quota} refuses a pod that does not state what it limits, or null. */
  private static String constraints(ResourceQuota quota, Pod pod) {
    Map<String, Quantity> hard = hard(quota);
    Map<String, TreeSet<String>> missing = new TreeMap<>();
    for (Container c : allContainers(pod)) {
      Set<String> stated = usage(List.of(c)).keySet();
      for (String resource : hard.keySet()) {
        if (MUST_SPECIFY.contains(resource) && !stated.contains(resource)) {
          missing.computeIfAbsent(resource, r -> new TreeSet<>()).add(c.getName());
        }
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    missing.forEach((r, names) -> parts.add(r + " for: " + String.join(",", names)));
    return "failed quota: "
        + quota.getMetadata().getName()
        + ": must specify "
        + String.join("; ", parts);
  }

  /** Why {@code quota} refuses a pod that would take it past a hard limit, or null. */
  private String usage(ResourceQuota quota, Pod pod, String namespace) {
    Map<String, Quantity> hard = hard(quota);
    Map<String, BigDecimal> requested = new TreeMap<>(usage(pod.getSpec().getContainers()));
    requested.keySet().retainAll(hard.keySet());
    if (requested.isEmpty()) {
      return null;
    }
    Map<String, BigDecimal> used = new TreeMap<>();
    for (Pod other : get("/api/v1/namespaces/" + namespace + "/pods", PodList.class).getItems()) {
      String phase = other.getStatus() == null ? null : other.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      usage(other.getSpec().getContainers()).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
    }
    Map<String, String> req = new TreeMap<>();
    Map<String, String> use = new TreeMap<>();
    Map<String, String> lim = new TreeMap<>();
    requested.forEach(
        (resource, amount) -> {
          BigDecimal already = used.getOrDefault(resource, BigDecimal.ZERO);
          BigDecimal limit = Quantity.getAmountInBytes(hard.get(resource));
          if (already.add(amount).compareTo(limit) > 0) {
            req.put(resource, format(resource, amount));
            use.put(resource, format(resource, already));
            lim.put(resource, format(resource, limit));
          }
        });
    if (req.isEmpty()) {
      return null;
    }
    return "exceeded quota: "
        + quota.getMetadata().getName()
        + ", requested: "
        + pretty(req)
        + ", used: "
        + pretty(use)
        + ", limited: "
        + pretty(lim);
  }

  /**
   * What containers take of a quota: {@code pods} 1, requests as {@code cpu}, {@code requests.cpu}
   * (memory alike), limits as {@code limits.cpu}. Init containers are left out of usage here
   * (Kubernetes takes the larger of their maximum and the containers' sum).
   */
  private static Map<String, BigDecimal> usage(List<Container> containers) {
    Map<String, BigDecimal> usage = new TreeMap<>();
    usage.put("pods", BigDecimal.ONE);
    for (Container c : containers) {
      var resources = c.getResources();
      Map<String, Quantity> requests =
          resources == null ? Map.of() : orEmpty(resources.getRequests());
      Map<String, Quantity> limits = resources == null ? Map.of() : orEmpty(resources.getLimits());
      for (String r : List.of("cpu", "memory")) {
        if (requests.containsKey(r)) {
          BigDecimal amount = Quantity.getAmountInBytes(requests.get(r));
          usage.merge(r, amount, BigDecimal::add);
          usage.merge("requests." + r, amount, BigDecimal::add);
        }
        if (limits.containsKey(r)) {
          usage.merge("limits." + r, Quantity.getAmountInBytes(limits.get(r)), BigDecimal::add);
        }
      }
    }
    return usage;
  }

  /**
   * A quantity as Kubernetes prints it: cpu in cores or millicores, memory in the largest binary
   * unit that is exact.
   */
  private static String format(String resource, BigDecimal amount) {
    if (resource.endsWith("memory")) {
      String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
      for (int i = 0; i < units.length; i++) {
        BigDecimal unit = BigDecimal.valueOf(2).pow(10 * (units.length - i));
        if (amount.signum() != 0 && amount.remainder(unit).signum() == 0) {
          return amount.divide(unit).toBigInteger() + units[i];
        }
      }
      return amount.toBigInteger().toString();
    }
    if (amount.stripTrailingZeros().scale() <= 0) {
      return amount.toBigInteger().toString();
    }
    return amount.movePointRight(3).toBigInteger() + "m";
  }

  private static String pretty(Map<String, String> values) {
    List<String> parts = new ArrayList<>();
    values.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  private <T> T get(String path, Class<T> type) {
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
    return Serialization.unmarshal(response.getBody().readUtf8(), type);
  }

  private static MockResponse forbidden(String name, String why) {
    String message = "pods \"" + name + "\" is forbidden: " + why;
    return new MockResponse()
        .setResponseCode(403)
        .setBody(
            Serialization.asJson(
                Map.of(
                    "kind", "Status",
                    "apiVersion", "v1",
                    "status", "Failure",
                    "message", message,
                    "reason", "Forbidden",
                    "details", Map.of("name", name, "kind", "pods"),
                    "code", 403)));
  }

  private static MockResponse scopes(ResourceQuota quota) {
    return new MockResponse()
        .setResponseCode(500)
        .setBody(
            "the test stand-in does not model quota scopes (quota "
                + quota.getMetadata().getName()
                + ")");
  }
}
