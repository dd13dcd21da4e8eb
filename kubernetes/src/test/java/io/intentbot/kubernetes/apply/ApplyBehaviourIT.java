package io.intentbot.kubernetes.apply;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubernetes.apply as kubectl: Secret values masked in diffs, a retried create is not an error. */
class ApplyBehaviourIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static String b64(String text) {
    return Base64.getEncoder()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aSecretsDataAndStringDataAreMaskedInThePlanAndTheOutputAsKubectlDiffMasksThem()
      throws Exception {
    cluster
        .admin
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .addToData("password", b64("old-password"))
                .addToData("user", b64("shop"))
                .build())
        .create();
    String manifest =
        "apiVersion: v1\nkind: Secret\nmetadata: { name: db }\n"
            + "data: { password: "
            + b64("new-password")
            + ", user: "
            + b64("shop")
            + ", host: "
            + b64("db.internal")
            + " }\n"
            + "stringData: { token: plaintext-token }\n";
    var step = new ApplyStepType(cluster.access);

    StepPlan plan = step.plan(with("manifests", manifest), cluster.dryRunContext());
    var context = cluster.context();
    StepResult result = step.execute(with("manifests", manifest), context);

    String shown = String.join("\n", plan.details()) + "\n" + context.text();
    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(plan.details())
        .contains(
            "  data.password: *** (before) -> *** (after)",
            "  data.host: (none) -> ***",
            "  stringData.token: (none) -> ***");
    assertThat(shown)
        .doesNotContain(b64("new-password"))
        .doesNotContain(b64("old-password"))
        .doesNotContain(b64("db.internal"))
        .doesNotContain("plaintext-token");
  }

  @Test
  void aCreateWhoseResponseWasLostAndThatWasSentAgainCountsAsDoneWhenTheObjectMatches()
      throws Exception {
    cluster.api.loseResponse("POST", "/configmaps");
    String manifest =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { A: \"1\" }\n";

    StepResult result =
        new ApplyStepType(cluster.access).execute(with("manifests", manifest), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(cluster.admin.configMaps().inNamespace(NAMESPACE).withName("web").get().getData())
        .containsEntry("A", "1");
  }

  @Test
  void aFieldDroppedFromTheManifestIsRemovedButFieldsSetByOthersStay() throws Exception {
    var step = new ApplyStepType(cluster.access);
    step.execute(
        with(
            "manifests",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web, labels: { tier: web } }\n"
                + "data: { A: \"1\", B: \"2\" }\n"),
        cluster.context());
    // another tool adds a key and a label of its own
    cluster
        .admin
        .configMaps()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(
            c -> {
              c.getData().put("OTHER", "kept");
              c.getMetadata().getLabels().put("owner", "someone-else");
              return c;
            });
    String smaller =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { A: \"1\" }\n";

    StepPlan plan = step.plan(with("manifests", smaller), cluster.dryRunContext());
    StepResult result = step.execute(with("manifests", smaller), cluster.context());

    assertThat(plan.details())
        .contains("  data.B: 2 -> (removed)", "  metadata.labels.tier: web -> (removed)");
    assertThat((java.util.List<?>) result.outputs().get("changed")).hasSize(1);
    var live = cluster.admin.configMaps().inNamespace(NAMESPACE).withName("web").get();
    assertThat(live.getData()).containsOnlyKeys("A", "OTHER");
    assertThat(live.getMetadata().getLabels()).containsOnlyKeys("owner");
  }

  @Test
  void aSecretKeyDroppedFromTheManifestIsRemovedWithItsValueMasked() throws Exception {
    var step = new ApplyStepType(cluster.access);
    step.execute(
        with(
            "manifests",
            "apiVersion: v1\nkind: Secret\nmetadata: { name: db }\ndata: { a: "
                + b64("one")
                + ", b: "
                + b64("two")
                + " }\n"),
        cluster.context());

    StepPlan plan =
        step.plan(
            with(
                "manifests",
                "apiVersion: v1\nkind: Secret\nmetadata: { name: db }\ndata: { a: "
                    + b64("one")
                    + " }\n"),
            cluster.dryRunContext());

    assertThat(plan.details()).contains("  data.b: *** (before) -> (removed)");
    assertThat(String.join("\n", plan.details())).doesNotContain(b64("two"));
    assertThat(
            cluster
                .admin
                .secrets()
                .inNamespace(NAMESPACE)
                .withName("db")
                .get()
                .getMetadata()
                .getAnnotations()
                .get("intentbot.io/applied-fields"))
        .isEqualTo("[[\"data\",\"a\"],[\"data\",\"b\"]]");
  }

  @Test
  void thePlanAsksTheApiServerWithADryRunAndSaysWhatItRefuses() throws Exception {
    var step = new ApplyStepType(cluster.access);
    step.execute(
        with(
            "manifests",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { A: \"1\" }\n"),
        cluster.context());
    String before =
        cluster
            .admin
            .configMaps()
            .inNamespace(NAMESPACE)
            .withName("web")
            .get()
            .getMetadata()
            .getResourceVersion();
    String changed =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { A: \"2\" }\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: new }\ndata: { B: \"1\" }\n";
    cluster.api.resetCount();

    StepPlan accepted = step.plan(with("manifests", changed), cluster.dryRunContext());
    cluster.api.drop("PUT", "dryRun=All", 1, 422, null);
    StepPlan refused = step.plan(with("manifests", changed), cluster.dryRunContext());

    assertThat(cluster.api.requests())
        .filteredOn(r -> r.contains("dryRun=All"))
        .extracting(r -> r.substring(0, r.indexOf(' ')))
        .containsExactly("PUT", "POST", "PUT", "POST");
    assertThat(accepted.summary()).doesNotContain("would fail");
    assertThat(refused.summary())
        .endsWith("(would fail: the API server refuses ConfigMap/shop-staging/web)");
    assertThat(refused.details())
        .anyMatch(
            d ->
                d.startsWith(
                        "  the API server refuses it (server-side dry run): could not dry-run the"
                            + " update of ConfigMap/shop-staging/web")
                    && d.contains("injected by the test"));
    assertThat(
            cluster
                .admin
                .configMaps()
                .inNamespace(NAMESPACE)
                .withName("web")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before);
    assertThat(cluster.admin.configMaps().inNamespace(NAMESPACE).withName("new").get()).isNull();
  }
}
