package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a channel's next Slack call is, from its queue ({@link OutboxStore#next}): a notice on its
 * own; a run's top message, posted once ({@code chat.postMessage}, its ts kept as the run's thread)
 * and then replaced by its newest version ({@code chat.update}); the lines that piled up in the
 * thread ({@link ThreadLines}); a file ({@link ThreadFileUpload}). A run's messages keep their
 * order: the top message goes first only when there is no thread yet or it is the oldest. Messages
 * that can never be posted are given up here and no call is planned: those of a run whose top
 * message Slack refused for good, and lines of a run without a thread (never top-level).
 */
final class DeliveryPlanner {

  /** One Slack call. */
  @FunctionalInterface
  interface Call {
    SlackApiTextResponse run() throws IOException, SlackApiException;
  }

  /**
   * A call to make: {@code method} (the one rate limits count), the messages it delivers, and
   * whether it is the run's first post (its refusal for good refuses the run's thread).
   */
  record Delivery(String method, List<OutboxStore.Message> batch, Call call, boolean firstPost) {}

  private final OutboxStore outbox;
  private final MethodsClient slack;
  private final PostedCards posted;
  private final ThreadFileUpload files;

  DeliveryPlanner(
      OutboxStore outbox, MethodsClient slack, PostedCards posted, ThreadFileUpload files) {
    this.outbox = outbox;
    this.slack = slack;
    this.posted = posted;
    this.files = files;
  }

  /** The call for {@code queue}'s front; empty when its messages were given up instead. */
  Optional<Delivery> plan(String channel, List<OutboxStore.Message> queue) {
    OutboxStore.Message first = queue.get(0);
    if (first.kind() == OutboxStore.Kind.NOTICE) {
      return Optional.of(notice(channel, first));
    }
    List<OutboxStore.Message> ofRun =
        queue.stream()
            .filter(m -> m.runId().equals(first.runId()) && m.kind() != OutboxStore.Kind.NOTICE)
            .toList();
    List<OutboxStore.Message> heads =
        ofRun.stream().filter(m -> m.kind() == OutboxStore.Kind.HEAD).toList();
    var thread = outbox.thread(first.runId());
    if (thread.isPresent() && thread.get().refused()) {
      // Slack refused the top message for good: nothing of this run goes into the channel
      giveUp(ofRun, "thread refused");
      return Optional.empty();
    }
    if (!heads.isEmpty() && (thread.isEmpty() || ofRun.get(0).kind() == OutboxStore.Kind.HEAD)) {
      // the top message first when there is no thread yet, else whatever is oldest: a line
      // written before a newer top message (the approval, the first step) is not kept waiting
      return Optional.of(
          thread.isEmpty()
              ? firstPost(channel, first.runId(), heads)
              : update(thread.get(), heads));
    }
    if (thread.isEmpty()) {
      // lines of a run whose top message never made it: never top-level in the channel
      giveUp(ofRun, "no thread");
      return Optional.empty();
    }
    String ts = thread.get().ts();
    if (ofRun.get(0).kind() == OutboxStore.Kind.FILE) {
      OutboxStore.Message file = ofRun.get(0);
      return Optional.of(
          new Delivery(
              "files.getUploadURLExternal",
              List.of(file),
              () -> files.upload(channel, ts, file),
              false));
    }
    List<OutboxStore.Message> batch = ThreadLines.batch(ofRun);
    String text = SlackLimits.cut(ThreadLines.render(batch), SlackLimits.FALLBACK_TEXT);
    return Optional.of(
        new Delivery(
            "chat.postMessage",
            batch,
            () ->
                slack.chatPostMessage(r -> r.channel(channel).threadTs(ts).text(text).mrkdwn(true)),
            false));
  }

  private Delivery notice(String channel, OutboxStore.Message notice) {
    return new Delivery(
        "chat.postMessage",
        List.of(notice),
        () ->
            slack.chatPostMessage(
                r -> {
                  r.channel(channel).text(notice.body());
                  return notice.blocks() == null ? r : r.blocksAsString(notice.blocks());
                }),
        false);
  }

  /**
   * The run's top message, posted once; when an earlier try may have been posted though its answer
   * was lost, the card is looked for first and updated instead of a second one.
   */
  private Delivery firstPost(String channel, String runId, List<OutboxStore.Message> heads) {
    OutboxStore.Message newest = heads.get(heads.size() - 1);
    boolean triedBefore = heads.stream().anyMatch(h -> h.attempts() > 0);
    Call call =
        () -> {
          String ts = triedBefore ? posted.find(channel, runId) : null;
          if (ts != null) {
            outbox.saveThread(runId, channel, ts);
            return slack.chatUpdate(
                r -> r.channel(channel).ts(ts).text(newest.body()).blocksAsString(newest.blocks()));
          }
          var response =
              slack.chatPostMessage(
                  r -> r.channel(channel).text(newest.body()).blocksAsString(newest.blocks()));
          if (response.isOk()) {
            outbox.saveThread(
                runId,
                response.getChannel() == null ? channel : response.getChannel(),
                response.getTs());
          }
          return response;
        };
    return new Delivery("chat.postMessage", heads, call, true);
  }

  /** Only the newest version of the top message is sent. */
  private Delivery update(OutboxStore.ThreadRef thread, List<OutboxStore.Message> heads) {
    OutboxStore.Message newest = heads.get(heads.size() - 1);
    return new Delivery(
        "chat.update",
        heads,
        () ->
            slack.chatUpdate(
                r ->
                    r.channel(thread.channel())
                        .ts(thread.ts())
                        .text(newest.body())
                        .blocksAsString(newest.blocks())),
        false);
  }

  private void giveUp(List<OutboxStore.Message> messages, String why) {
    outbox.failed(messages.stream().map(OutboxStore.Message::id).toList(), why, true);
  }
}
