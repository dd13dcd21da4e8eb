package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunThreadTest {

  @TempDir Path dir;

  @Test
  void longOutputIsCutWithAPointerToShow() throws Exception {
    try (EngineFixture bed = TestIntents.engine(dir, GroupDirectory.NONE)) {
      bed.build();
      List<ThreadUpdate> updates = new CopyOnWriteArrayList<>();
      bed.engine()
          .addListener(
              new RunThread(
                  updates::add, bed.config(), Mentions.PLAIN, RunThread.fromSource("t"), 5, 6));
      bed.started();
      Reply reply =
          new CommandHandler(bed.engine(), Mentions.PLAIN)
              .handle("chatty env=sandbox", new ChatUser("alice", "room", "t"));
      String id = reply.runId();
      bed.engine().awaitFinished(id, Duration.ofSeconds(10));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  updates.stream()
                      .anyMatch(
                          u -> u instanceof ThreadUpdate.Line l && l.text().startsWith("Run ")));
      List<String> output =
          updates.stream()
              .filter(
                  u -> u instanceof ThreadUpdate.Line l && l.kind() == ThreadUpdate.LineKind.OUTPUT)
              .map(u -> ((ThreadUpdate.Line) u).text())
              .toList();
      assertThat(output).containsExactly("$ seq…", "1", "2", "3", "4");
      assertThat(updates)
          .filteredOn(u -> u instanceof ThreadUpdate.Line)
          .extracting(u -> ((ThreadUpdate.Line) u).text())
          .contains("… 26 more lines: see `intentbot show " + id + "`");
      assertThat(updates)
          .as("the cut is a typed value each adapter renders, not text to rewrite")
          .filteredOn(
              u -> u instanceof ThreadUpdate.Line l && l.kind() == ThreadUpdate.LineKind.OUTPUT_CUT)
          .singleElement()
          .satisfies(u -> assertThat(((ThreadUpdate.Line) u).hidden()).isEqualTo(26));
      assertThat(updates)
          .filteredOn(u -> u instanceof ThreadUpdate.Head)
          .extracting(u -> ((ThreadUpdate.Head) u).head().state())
          .contains("running step 1 of 1: print")
          .last()
          .asString()
          .startsWith("succeeded");
    }
  }
}
