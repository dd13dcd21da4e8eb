package io.intentbot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bot process's heap, from its GC log ({@code -Xlog:gc:file=...}): after each collection, and
 * after a full collection the bench asks for with {@code jcmd PID GC.run} (what is live, without
 * the garbage young collections leave in the old generation).
 */
final class GcLog {

  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private GcLog() {}

  /**
   * The bot's heap after a full collection it is asked for ({@code jcmd PID GC.run}): what is live,
   * without the garbage the young collections leave in the old generation; NaN without jcmd.
   */
  static double fullGc(JavaProcess bot, Path gcLog) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Double.NaN;
    }
    int before = fullCollections(gcLog).size();
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(bot.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.waitFor(60, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      List<Double> full = fullCollections(gcLog);
      if (full.size() > before) {
        return full.get(full.size() - 1);
      }
      Thread.sleep(100);
    }
    return Double.NaN;
  }

  private static List<Double> fullCollections(Path gcLog) throws Exception {
    List<Double> out = new ArrayList<>();
    if (Files.isRegularFile(gcLog)) {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC.matcher(line);
        if (line.contains("Pause Full") && m.find()) {
          out.add(Double.parseDouble(m.group(2)));
        }
      }
    }
    return out;
  }

  /** Each collection's heap after it and the heap's size, in MB, from the GC log. */
  static List<double[]> heap(Path gcLog) throws Exception {
    List<double[]> out = new ArrayList<>();
    if (!Files.isRegularFile(gcLog)) {
      return out;
    }
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        out.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
      }
    }
    return out;
  }
}
