package io.intentbot.engine.definition;

import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.engine.yaml.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the files of one intents folder within its limits: a file larger than {@link #MAX_BYTES},
 * or a link that resolves outside the folder, is a load problem at {@code file:1:1} and is never
 * read, so a hostile or mistaken file cannot exhaust memory or pull in a file from elsewhere.
 */
final class IntentFiles {

  /** The largest intent or library file read. */
  static final long MAX_BYTES = 1024 * 1024;

  private final Path dir;
  private final Path realDir;

  private IntentFiles(Path dir, Path realDir) {
    this.dir = dir;
    this.realDir = realDir;
  }

  static IntentFiles in(Path dir) {
    try {
      return new IntentFiles(dir, dir.toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + dir, e);
    }
  }

  /** The file's text, or null with a problem added when it is out of bounds. */
  String read(Path file, List<LoadProblem> problems) {
    SourceLocation start = new SourceLocation(dir.relativize(file).toString(), 1, 1);
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(realDir)) {
        problems.add(
            new LoadProblem(
                start,
                "the file is a link to "
                    + real
                    + ", outside the intents folder: links may only point inside it"));
        return null;
      }
      long size = Files.size(real);
      if (size > MAX_BYTES) {
        problems.add(
            new LoadProblem(
                start,
                String.format(
                    Locale.ROOT,
                    "the file is %.1f MB; intent files may be at most 1 MB: split it or move"
                        + " data out of it",
                    size / (1024.0 * 1024.0))));
        return null;
      }
      return Files.readString(real);
    } catch (IOException e) {
      problems.add(new LoadProblem(start, "cannot read the file: " + e.getMessage()));
      return null;
    }
  }
}
