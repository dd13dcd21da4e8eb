package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;

/**
 * Plays the kubelet's side of exec (over its websocket protocol) and logs on the mock API server.
 */
public final class Kubelet {

  private Kubelet() {}

  /**
   * Answers every exec of {@code query} in the pod: stdout after 10 ms, stderr (unless empty) 20 ms
   * later, then the exit status. The mock closes the socket together with its last scheduled
   * message, racing the status frame; a real API server sends the status first. A late trailing
   * frame keeps the order real.
   */
  public static void expectExec(
      KubernetesMockServer server,
      String namespace,
      String pod,
      String query,
      int exitCode,
      String stdout,
      String stderr) {
    var emit =
        server
            .expect()
            .get()
            .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/exec?" + query)
            .andUpgradeToWebSocket()
            .open()
            .waitFor(10)
            .andEmit(new OutputStreamMessage(stdout));
    if (!stderr.isEmpty()) {
      emit = emit.waitFor(20).andEmit(new ErrorStreamMessage(stderr));
    }
    emit.waitFor(40)
        .andEmit(new StatusStreamMessage(exitCode))
        .expect("stdin that never comes")
        .andEmit(new OutputStreamMessage(""))
        .once()
        .done()
        .always();
  }

  /**
   * Answers every exec of {@code query} as the API server does when the command cannot start (the
   * executable is not in the image): no output, a Failure status with a message and no exit code.
   */
  public static void expectExecFailure(
      KubernetesMockServer server, String namespace, String pod, String query, String message) {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/exec?" + query)
        .andUpgradeToWebSocket()
        .open()
        .waitFor(10)
        .andEmit(
            new StatusMessage(
                new io.fabric8.kubernetes.api.model.StatusBuilder()
                    .withStatus("Failure")
                    .withReason("InternalError")
                    .withMessage(message)
                    .build()))
        .expect("stdin that never comes")
        .andEmit(new OutputStreamMessage(""))
        .once()
        .done()
        .always();
  }

  /** Answers every log request of {@code query} (e.g. {@code pretty=false&container=web}). */
  public static void expectLogs(
      KubernetesMockServer server, String namespace, String pod, String query, String log) {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?" + query)
        .andReturn(200, log)
        .always();
  }
}
