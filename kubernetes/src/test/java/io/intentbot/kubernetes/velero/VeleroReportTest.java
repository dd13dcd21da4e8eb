package io.intentbot.kubernetes.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Velero's results file and log as Velero 1.18 writes them, read into the step's lines. */
class VeleroReportTest {

  @Test
  void resultsMessagesAreReadFromVeleroClusterAndNamespacesAsTheLogCounterWritesThem() {
    String results =
        "{\"errors\":{\"velero\":[\" message: /Error uploading log file error: /timeout\"],"
            + "\"cluster\":[\" resource: /persistentvolumes name: /pv-1 message: /Error getting"
            + " volume snapshotter\"],\"namespaces\":{\"shop\":[\" resource: /pods name: /db-0"
            + " message: /Error executing hook error: /no such container: \\\"db\\\"\"]}},"
            + "\"warnings\":{\"namespaces\":{\"shop\":[\"could not restore, Pod \\\"web\\\""
            + " already exists\"]}}}";

    VeleroReport report = VeleroReport.of(results, null);

    assertThat(report.errors())
        .containsExactly(
            "velero: Error uploading log file: timeout",
            "cluster: persistentvolumes pv-1: Error getting volume snapshotter",
            "shop: pods db-0: Error executing hook: no such container: \"db\"");
    assertThat(report.warnings())
        .containsExactly("shop: could not restore, Pod \"web\" already exists");
    assertThat(report.logLines()).isEmpty();
  }

  @Test
  void theLogGivesItsErrorLinesElseItsWarningLinesFirstTenOnly() {
    String log =
        "time=\"2026-12-01T12:00:00Z\" level=info msg=\"Setting up backup temp file\""
            + " backup=velero/b1\n"
            + "time=\"2026-12-01T12:00:01Z\" level=warning msg=\"Volume snapshotter not found\""
            + " backup=velero/b1\n"
            + "time=\"2026-12-01T12:00:02Z\" level=error msg=\"Error executing hook\""
            + " backup=velero/b1 error=\"no such container: \\\"db\\\"\" hookPhase=pre"
            + " name=db-0 namespace=shop resource=pods\n";
    String warningsOnly =
        "time=\"2026-12-01T12:00:01Z\" level=warning msg=\"Volume snapshotter not found\"\n"
            .repeat(12);

    assertThat(VeleroReport.of(null, log).logLines())
        .containsExactly("error: Error executing hook: no such container: \"db\" (shop/db-0)");
    assertThat(VeleroReport.of(null, warningsOnly).logLines())
        .hasSize(VeleroReport.FIRST)
        .allMatch(l -> l.equals("warning: Volume snapshotter not found"));
  }

  @Test
  void aResultsFileThatIsNotVelerosJsonIsSaidSo() {
    assertThatThrownBy(() -> VeleroReport.of("<Error>NoSuchKey</Error>", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the results file is not Velero's JSON");
    assertThat(VeleroReport.of("{}", "").errors()).isEqualTo(List.of());
  }
}
