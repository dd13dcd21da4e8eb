package io.intentbot.kubernetes.debug;

/**
 * How {@code kubernetes.network-check} ran its checks, and why that way: in an ephemeral debug
 * container added to the pod, with exec in the pod's own container, or in a debug pod of its own.
 *
 * @param name {@code ephemeral}, {@code exec} or {@code pod} (the {@code method} output)
 * @param pod the pod the commands ran in
 * @param container the container they ran in
 * @param image the image of that container, when intentbot chose it; else null (the app's own)
 * @param reason why this method ran (the {@code method_reason} output)
 */
record CheckMethod(String name, String pod, String container, String image, String reason) {

  static final String EPHEMERAL = "ephemeral";
  static final String EXEC = "exec";
  static final String POD = "pod";

  /** The line the step writes before its checks. */
  String line() {
    return switch (name) {
      case EPHEMERAL ->
          "method: ephemeral debug container "
              + container
              + " ("
              + image
              + ") in pod "
              + pod
              + ", as kubectl debug adds one; "
              + reason;
      case EXEC ->
          "method: exec in container "
              + container
              + " of pod "
              + pod
              + " (its own image); "
              + reason;
      default -> "method: debug pod " + pod + " (" + image + "); " + reason;
    };
  }
}
