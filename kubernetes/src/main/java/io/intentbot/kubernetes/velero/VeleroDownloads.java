package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Polling;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Reads one file of a backup or restore from its storage location as Velero's CLI does ({@code
 * velero backup logs}, {@code describe --details}; pkg/cmd/util/downloadrequest): creates a
 * DownloadRequest for the target, waits until the Velero server has written {@code
 * status.downloadURL} (a signed URL into the object storage, valid until {@code status.expiration},
 * 10 minutes), downloads it trusting the storage location's CA ({@link StorageTrust}) and gunzips
 * it. Unlike the CLI, which leaves the request for Velero to delete once it expired, it deletes the
 * DownloadRequest it created, however the download ended.
 */
final class VeleroDownloads {

  /** The download target kinds intentbot reads (Velero's DownloadTargetKind). */
  enum Target {
    BACKUP_LOG("BackupLog", "backup log", false),
    BACKUP_RESULTS("BackupResults", "backup results", false),
    BACKUP_RESOURCE_LIST("BackupResourceList", "resource list", false),
    RESTORE_LOG("RestoreLog", "restore log", true),
    RESTORE_RESULTS("RestoreResults", "restore results", true);

    final String kind;
    final String what;
    final boolean ofRestore;

    Target(String kind, String what, boolean ofRestore) {
      this.kind = kind;
      this.what = what;
      this.ofRestore = ofRestore;
    }
  }

  /**
   * A downloaded file, or why there is none.
   *
   * @param content the file, gunzipped; null when {@code problem} says why not
   * @param notFound the storage location has no such file (a backup made before Velero wrote it)
   */
  record Downloaded(Target target, String content, String problem, boolean notFound) {

    static Downloaded failed(Target target, String problem) {
      return new Downloaded(target, null, problem, false);
    }
  }

  /** How long a download waits for Velero's URL by default. */
  static final Polling DEFAULT_WAIT = new Polling(Duration.ofSeconds(30), Duration.ofSeconds(1));

  private final HttpClient systemTrust = client(null);
  private final Map<String, HttpClient> byCa = new ConcurrentHashMap<>();

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    return ssl == null ? builder.build() : builder.sslContext(ssl).build();
  }

  /**
   * Downloads {@code target} of backup or restore {@code name}; never fails the future for a
   * problem of the download itself (those are in {@link Downloaded#problem}), only for a cluster
   * error creating the request.
   */
  CompletableFuture<Downloaded> download(
      Cluster velero,
      Target target,
      String name,
      Polling polling,
      StepOutput output,
      AsyncPoll poll) {
    String request = requestName(name, target);
    CompletableFuture<Downloaded> downloaded =
        poll.call(() -> prepare(velero, target, name, request, output))
            .thenCompose(
                trust ->
                    poll.until(
                            polling,
                            () -> Velero.get(velero, Velero.DOWNLOAD_REQUESTS, request),
                            live -> answered(live, target, request, poll.clock().instant()),
                            live ->
                                new Answer(
                                    null,
                                    "the storage location did not serve the "
                                        + target.what
                                        + " within "
                                        + Durations.format(polling.timeout())))
                        .thenCompose(
                            answer ->
                                answer.url == null
                                    ? CompletableFuture.completedFuture(
                                        Downloaded.failed(target, answer.problem))
                                    : poll.call(() -> fetch(target, answer.url, trust))));
    return poll.ensure(downloaded, () -> delete(velero, request, output));
  }

  /** Velero's answer to a DownloadRequest: a URL, or why none will come. */
  private record Answer(String url, String problem) {}

  private static Optional<Answer> answered(
      GenericKubernetesResource live, Target target, String request, Instant now) {
    if (live == null) {
      return Optional.of(
          new Answer(
              null,
              "DownloadRequest "
                  + request
                  + " for the "
                  + target.what
                  + " is gone before its URL was read: Velero deletes a request once it expired,"
                  + " 10 minutes after it was answered; look for it more often (poll_interval)"));
    }
    Object url = live.get("status", "downloadURL");
    if (url == null || String.valueOf(url).isEmpty()) {
      return Optional.empty();
    }
    Object expiration = live.get("status", "expiration");
    if (expiration != null && Instant.parse(String.valueOf(expiration)).isBefore(now)) {
      return Optional.of(
          new Answer(
              null,
              "the download URL for the "
                  + target.what
                  + " expired at "
                  + expiration
                  + " before it was read; run the step again"));
    }
    return Optional.of(new Answer(String.valueOf(url), null));
  }

  /** Reads the storage location's CA and creates the request. */
  private static StorageTrust prepare(
      Cluster velero, Target target, String name, String request, StepOutput output) {
    StorageTrust trust = StorageTrust.of(velero, location(velero, target, name));
    if (trust.problem() != null) {
      output.line("warning: " + trust.problem() + "; downloading with the system's CAs only");
    }
    velero.create(
        "create DownloadRequest " + velero.ref(request),
        Velero.DOWNLOAD_REQUESTS,
        Cluster.customResource(
            Velero.DOWNLOAD_REQUESTS,
            request,
            velero.namespace(),
            Map.of(),
            Map.of("target", Map.of("kind", target.kind, "name", name))));
    return trust;
  }

  /** The storage location the target's backup is in, as Velero's controller resolves it. */
  private static String location(Cluster velero, Target target, String name) {
    String backup = name;
    if (target.ofRestore) {
      GenericKubernetesResource restore = Velero.get(velero, Velero.RESTORES, name);
      Object backupName = restore == null ? null : restore.get("spec", "backupName");
      if (backupName == null) {
        return null;
      }
      backup = String.valueOf(backupName);
    }
    GenericKubernetesResource live = Velero.get(velero, Velero.BACKUPS, backup);
    Object location = live == null ? null : live.get("spec", "storageLocation");
    return location == null ? null : String.valueOf(location);
  }

  private static String requestName(String name, Target target) {
    String suffix =
        "-" + target.kind.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID().toString();
    return (name.length() + suffix.length() > 253 ? name.substring(0, 253 - suffix.length()) : name)
        + suffix;
  }

  private Downloaded fetch(Target target, String url, StorageTrust trust)
      throws InterruptedException {
    HttpClient http;
    try {
      SSLContext ssl = trust.sslContext();
      http = ssl == null ? systemTrust : byCa.computeIfAbsent(trust.pem(), pem -> client(ssl));
    } catch (ClusterAccessException e) {
      return Downloaded.failed(target, e.getMessage());
    }
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404) {
        return new Downloaded(
            target,
            null,
            "the storage location has no " + target.what + " for it (HTTP 404)",
            true);
      }
      if (response.statusCode() != 200) {
        String body = new String(response.body(), StandardCharsets.UTF_8).strip();
        return Downloaded.failed(
            target,
            "the "
                + target.what
                + " download answered HTTP "
                + response.statusCode()
                + (body.isEmpty()
                    ? ""
                    : ": " + (body.length() > 200 ? body.substring(0, 200) : body)));
      }
      return new Downloaded(target, gunzipped(response.body()), null, false);
    } catch (SSLException e) {
      return Downloaded.failed(
          target,
          "could not download the "
              + target.what
              + ": the storage location's TLS certificate is not trusted ("
              + e.getMessage()
              + "); "
              + (trust.pem() == null
                  ? "give its CA in the BackupStorageLocation's spec.objectStorage.caCertRef"
                      + " or caCert"
                  : "the CA in " + trust.source() + " does not sign it"));
    } catch (IOException e) {
      return Downloaded.failed(
          target, "could not download the " + target.what + ": " + e.getMessage());
    }
  }

  private static String gunzipped(byte[] body) throws IOException {
    boolean gzipped = body.length > 1 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
    try (InputStream in =
        gzipped
            ? new GZIPInputStream(new ByteArrayInputStream(body))
            : new ByteArrayInputStream(body)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void delete(Cluster velero, String request, StepOutput output) {
    try {
      velero.run(
          "delete DownloadRequest " + velero.ref(request),
          c ->
              c.genericKubernetesResources(Velero.DOWNLOAD_REQUESTS)
                  .inNamespace(velero.namespace())
                  .withName(request)
                  .delete());
    } catch (ClusterAccessException e) {
      output.line("could not delete DownloadRequest " + request + ": " + e.getMessage());
    }
  }
}
