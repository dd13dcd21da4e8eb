package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest.FileDetails;
import io.intentbot.engine.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A {@link OutboxStore.Kind#FILE} message into its run's thread, in Slack's three calls: an upload
 * URL ({@code files.getUploadURLExternal}), the content POSTed to it, the upload completed into the
 * thread ({@code files.completeUploadExternal}). Slack's refusal of the first or last call is
 * returned as the answer; a failed upload is an IOException (tried again).
 */
final class ThreadFileUpload {

  private final MethodsClient slack;
  private final HttpClient uploads =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ThreadFileUpload(MethodsClient slack) {
    this.slack = slack;
  }

  SlackApiTextResponse upload(String channel, String ts, OutboxStore.Message file)
      throws IOException, SlackApiException {
    var meta = Json.MAPPER.readTree(file.blocks());
    byte[] content = file.body().getBytes(StandardCharsets.UTF_8);
    var url =
        slack.filesGetUploadURLExternal(
            r -> r.filename(meta.path("filename").asText("output.txt")).length(content.length));
    if (!url.isOk()) {
      return url;
    }
    try {
      var response =
          uploads.send(
              HttpRequest.newBuilder(URI.create(url.getUploadUrl()))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "text/plain; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IOException("file upload answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("file upload interrupted", e);
    }
    return slack.filesCompleteUploadExternal(
        r ->
            r.files(
                    List.of(
                        FileDetails.builder()
                            .id(url.getFileId())
                            .title(meta.path("title").asText("output"))
                            .build()))
                .channelId(channel)
                .threadTs(ts));
  }
}
