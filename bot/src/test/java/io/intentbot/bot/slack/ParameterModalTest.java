package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.view.ViewState;
import io.intentbot.bot.chat.IntentHelp;
import io.intentbot.bot.chat.Mentions;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.ParameterType;
import io.intentbot.engine.definition.Risk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterModalTest {

  static ParameterDefinition param(String name, ParameterType type, boolean required, Object def) {
    return new ParameterDefinition(
        name,
        type,
        required,
        def,
        null,
        type == ParameterType.STRING ? "^[a-z]+$" : null,
        type == ParameterType.INTEGER ? 1L : null,
        type == ParameterType.INTEGER ? 9L : null,
        type == ParameterType.ENUM ? List.of("fast", "safe") : List.of(),
        "the " + name,
        false);
  }

  final IntentDefinition intent =
      new IntentDefinition(
          "scale",
          "Scale an app",
          Risk.MUTATING,
          null,
          List.of(
              param("app", ParameterType.APP, true, null),
              param("env", ParameterType.ENVIRONMENT, true, null),
              param("count", ParameterType.INTEGER, false, 2L),
              param("mode", ParameterType.ENUM, false, "safe"),
              param("dry", ParameterType.BOOLEAN, false, true),
              param("note", ParameterType.STRING, false, null)),
          null,
          List.of(),
          List.of(),
          List.of(),
          Map.of(),
          "scale.yaml",
          "h");
  final IntentbotConfig config =
      new IntentbotConfig(
          List.of("web", "api"),
          Map.of(
              "sandbox",
              new EnvironmentConfig("sandbox", null, false, null, null, false, false, Map.of())),
          Map.of(),
          Map.of(),
          Map.of());
  final ParameterModal modal =
      new ParameterModal(
          new IntentHelp(
              new IntentCatalog(Path.of("."), Map.of(), Map.of(), List.of()),
              config,
              Mentions.SLACK));

  @Test
  void noAppsConfiguredMeansATextInputNotAnEmptySelectAndTheViewStaysWithinLimits()
      throws Exception {
    ParameterModal bare =
        new ParameterModal(
            new IntentHelp(
                new IntentCatalog(Path.of("."), Map.of(), Map.of(), List.of()),
                new IntentbotConfig(List.of(), Map.of(), Map.of(), Map.of(), Map.of()),
                Mentions.SLACK));
    String reason = "r".repeat(5000);
    String view =
        bare.view(
            intent,
            Map.of(),
            new ParameterModal.Metadata(
                "scale", "C1", false, reason, "https://hooks.slack.com/commands/T0/1/x"));
    assertThat(SlackLimits.problems("views.open", Map.of("view", view))).isEmpty();
    assertThat(view).contains("\"block_id\":\"p_app\"").contains("Break glass");
    JsonNode parsed = new ObjectMapper().readTree(view);
    String metadata = parsed.path("private_metadata").asText();
    assertThat(parsed.toString()).doesNotContain("\"options\":[]");
    ParameterModal.Metadata read = ParameterModal.metadata(metadata);
    assertThat(read.breakGlass())
        .startsWith("rrr")
        .endsWith("…")
        .hasSize(ParameterModal.MAX_REASON);
    assertThat(read.responseUrl()).isEqualTo("https://hooks.slack.com/commands/T0/1/x");
  }

  @Test
  void oneInputPerParameterOfTheRightKind() throws Exception {
    JsonNode view =
        new ObjectMapper()
            .readTree(
                modal.view(
                    intent,
                    Map.of("app", "api"),
                    new ParameterModal.Metadata("scale", "C1", false)));
    assertThat(view.path("callback_id").asText()).isEqualTo("intent_run");
    assertThat(ParameterModal.metadata(view.path("private_metadata").asText()))
        .isEqualTo(new ParameterModal.Metadata("scale", "C1", false));
    JsonNode blocks = view.path("blocks");
    JsonNode app = blocks.get(1);
    assertThat(app.path("block_id").asText()).isEqualTo("p_app");
    assertThat(app.path("optional").asBoolean()).isFalse();
    assertThat(app.path("element").path("type").asText()).isEqualTo("static_select");
    assertThat(app.path("element").path("initial_option").path("value").asText()).isEqualTo("api");
    assertThat(app.path("hint").path("text").asText()).isEqualTo("the app");
    assertThat(blocks.get(2).path("element").path("options").get(0).path("value").asText())
        .isEqualTo("sandbox");
    JsonNode count = blocks.get(3).path("element");
    assertThat(count.path("type").asText()).isEqualTo("number_input");
    assertThat(count.path("min_value").asText()).isEqualTo("1");
    assertThat(count.path("initial_value").asText()).isEqualTo("2");
    assertThat(blocks.get(4).path("element").path("initial_option").path("value").asText())
        .isEqualTo("safe");
    assertThat(blocks.get(5).path("element").path("type").asText()).isEqualTo("checkboxes");
    assertThat(blocks.get(5).path("element").path("initial_options")).hasSize(1);
    assertThat(blocks.get(6).path("element").path("type").asText()).isEqualTo("plain_text_input");
    assertThat(blocks.get(6).path("hint").path("text").asText()).contains("^[a-z]+$");
  }

  static ViewState.Value select(String value) {
    ViewState.Value v = new ViewState.Value();
    ViewState.SelectedOption option = new ViewState.SelectedOption();
    option.setValue(value);
    v.setSelectedOption(option);
    return v;
  }

  static ViewState.Value text(String value) {
    ViewState.Value v = new ViewState.Value();
    v.setValue(value);
    return v;
  }

  @Test
  void readsSubmissionsBackOrReportsErrorsPerBlock() {
    ParameterModal.Submitted bad =
        modal.read(
            intent,
            Map.of(
                "p_app", Map.of("value", select("nope")),
                "p_count", Map.of("value", text("12")),
                "p_note", Map.of("value", text("UPPER"))));
    assertThat(bad.errors())
        .containsEntry("p_env", "env is required")
        .containsEntry("p_app", "app must be one of web, api")
        .containsEntry("p_count", "count must be between 1 and 9")
        .containsEntry("p_note", "note must match ^[a-z]+$");

    ParameterModal.Submitted good =
        modal.read(
            intent,
            Map.of(
                "p_app", Map.of("value", select("web")),
                "p_env", Map.of("value", select("sandbox")),
                "p_count", Map.of("value", text("3"))));
    assertThat(good.valid()).isTrue();
    assertThat(good.arguments()).containsExactly("app=web", "env=sandbox", "count=3", "dry=false");
  }
}
