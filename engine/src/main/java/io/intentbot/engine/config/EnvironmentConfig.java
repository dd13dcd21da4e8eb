package io.intentbot.engine.config;

import java.util.Map;
import java.util.Optional;

/**
 * One environment from config, e.g. {@code production}.
 *
 * @param name the key in {@code environments:}
 * @param namespaceTemplate namespace with {@code {app}} placeholders, e.g. {@code {app}-sandbox}
 * @param isProtected whether mutating intents need approval here
 * @param approval who may approve, when {@code isProtected}
 * @param kubeContext kube context to use, or null for the current one
 * @param breakGlass whether {@code --break-glass "reason"} may skip the wait for approval
 * @param impersonate whether cluster calls run as the requesting user
 * @param extra every other key, visible to expressions as {@code env.<key>}
 * @param breakGlassRights who may break glass here ({@code breakGlass} says whether anyone may)
 * @param freeze windows in which mutating runs are refused here
 */
public record EnvironmentConfig(
    String name,
    String namespaceTemplate,
    boolean isProtected,
    ApprovalPolicy approval,
    String kubeContext,
    boolean breakGlass,
    boolean impersonate,
    Map<String, Object> extra,
    BreakGlassRights breakGlassRights,
    java.util.List<FreezeWindow> freeze) {

  public EnvironmentConfig {
    extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    if (approval == null) {
      approval = ApprovalPolicy.DEFAULT;
    }
    if (breakGlassRights == null) {
      breakGlassRights = breakGlass ? BreakGlassRights.APPROVERS : BreakGlassRights.NONE;
    }
    freeze = freeze == null ? java.util.List.of() : java.util.List.copyOf(freeze);
  }

  /** Without break-glass rights beyond the approvers and without freeze windows. */
  public EnvironmentConfig(
      String name,
      String namespaceTemplate,
      boolean isProtected,
      ApprovalPolicy approval,
      String kubeContext,
      boolean breakGlass,
      boolean impersonate,
      Map<String, Object> extra) {
    this(
        name,
        namespaceTemplate,
        isProtected,
        approval,
        kubeContext,
        breakGlass,
        impersonate,
        extra,
        null,
        null);
  }

  /** The namespace for an app: the template with {@code {app}} and {@code {env}} filled in. */
  public String namespaceFor(String app) {
    String template = namespaceTemplate == null ? "{app}-{env}" : namespaceTemplate;
    return template.replace("{app}", app == null ? "" : app).replace("{env}", name);
  }

  public Optional<String> kubeContextName() {
    return Optional.ofNullable(kubeContext);
  }
}
