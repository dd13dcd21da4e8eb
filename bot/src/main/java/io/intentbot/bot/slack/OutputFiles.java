package io.intentbot.bot.slack;

import io.intentbot.engine.json.Json;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A step's whole output as a file in the run's thread when it has more lines than the thread shows
 * ({@code shown}, the {@link io.intentbot.bot.chat.RunThread}'s cut): kept while the step runs (up
 * to {@value #MAX_CHARS} characters, then marked cut), stored in the outbox as a {@link
 * OutboxStore.Kind#FILE} when the step finishes; the {@link SlackPoster} uploads it with {@code
 * files.getUploadURLExternal} and {@code files.completeUploadExternal}.
 */
final class OutputFiles implements RunListener {

  /**
   * The thread's note after a step whose output was cut ({@code ThreadUpdate.LineKind.OUTPUT_CUT}):
   * chat users cannot run {@code intentbot show}, so it points at the file attached below it.
   */
  static String note(int hidden) {
    return "… " + hidden + " more lines: the whole output is in the file below";
  }

  /** The most of one step's output kept for its file (the outbox's body column holds 100,000). */
  static final int MAX_CHARS = 90_000;

  private static final class Buffer {
    final StringBuilder text = new StringBuilder();
    int lines;
    boolean cut;
  }

  private final OutboxStore outbox;
  private final Runnable wake;
  private final Predicate<io.intentbot.engine.model.RunRecord> follows;
  private final int shown;
  private final Map<String, Buffer> buffers = new ConcurrentHashMap<>();

  OutputFiles(
      OutboxStore outbox,
      Runnable wake,
      Predicate<io.intentbot.engine.model.RunRecord> follows,
      int shown) {
    this.outbox = outbox;
    this.wake = wake;
    this.follows = follows;
    this.shown = shown;
  }

  @Override
  public void onEvent(RunEvent event) {
    var run = event.run();
    if (!follows.test(run) || run.origin().get("channel") == null) {
      return;
    }
    if (event instanceof RunEvent.OutputLine e) {
      Buffer b = buffers.computeIfAbsent(key(run.id(), e.step().stepId()), k -> new Buffer());
      synchronized (b) {
        b.lines++;
        if (!b.cut && b.text.length() + e.line().length() + 1 > MAX_CHARS) {
          b.cut = true;
          b.text.append("… (cut: the rest is in the step's output on the server)\n");
        } else if (!b.cut) {
          b.text.append(e.line()).append('\n');
        }
      }
    } else if (event instanceof RunEvent.StepFinished e) {
      Buffer b = buffers.remove(key(run.id(), e.step().stepId()));
      if (b != null && b.lines > shown) {
        String name = run.id() + "-" + e.step().stepId() + ".txt";
        String meta =
            Json.MAPPER
                .createObjectNode()
                .put("filename", name)
                .put("title", e.step().stepId() + " output (" + b.lines + " lines)")
                .toString();
        outbox.add(
            run.id(), run.origin().get("channel"), OutboxStore.Kind.FILE, b.text.toString(), meta);
        wake.run();
      }
    } else if (event instanceof RunEvent.RunFinished) {
      buffers.keySet().removeIf(k -> k.startsWith(run.id() + "\n"));
    }
  }

  private static String key(String runId, String stepId) {
    return runId + "\n" + stepId;
  }
}
