package io.intentbot.bot.slack;

import com.slack.api.RequestConfigurator;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A {@link MethodsClient} in memory for unit tests: records {@code chat.postMessage}, {@code
 * chat.update} and {@code usergroups.users.list} calls and answers ok, unless an answer was queued
 * ({@link #rateLimit}, {@link #fail}).
 */
final class StubSlackMethods {

  /** One call: the method, the text (or group) it carried and the thread it went into (or null). */
  record Call(String method, String channel, String text, String threadTs) {}

  final List<Call> calls = new ArrayList<>();
  final Deque<Object> answers = new ArrayDeque<>();
  List<String> groupMembers = List.of("U1");

  /** The next call answers HTTP 429 with {@code Retry-After: seconds}. */
  void rateLimit(int seconds) {
    answers.add(exception(429, String.valueOf(seconds)));
  }

  /** The next call answers {@code ok:false} with {@code error}, as Slack refuses a call. */
  void refuse(String error) {
    answers.add(error);
  }

  /** The next call answers HTTP {@code status}. */
  void fail(int status) {
    answers.add(exception(status, null));
  }

  MethodsClient client() {
    return (MethodsClient)
        Proxy.newProxyInstance(
            MethodsClient.class.getClassLoader(),
            new Class<?>[] {MethodsClient.class},
            (proxy, method, args) -> {
              if (args == null
                  || args.length != 1
                  || !(args[0] instanceof RequestConfigurator<?> configure)) {
                throw new UnsupportedOperationException(method.getName());
              }
              return answer(method.getName(), configure);
            });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object answer(String method, RequestConfigurator configure) throws SlackApiException {
    switch (method) {
      case "chatPostMessage" -> {
        ChatPostMessageRequest request =
            ((ChatPostMessageRequest.ChatPostMessageRequestBuilder)
                    configure.configure(ChatPostMessageRequest.builder()))
                .build();
        calls.add(
            new Call(
                "chat.postMessage",
                request.getChannel(),
                request.getText(),
                request.getThreadTs()));
        String error = next();
        ChatPostMessageResponse response = new ChatPostMessageResponse();
        response.setOk(error == null);
        response.setError(error);
        response.setChannel(request.getChannel());
        response.setTs(calls.size() + ".000100");
        return response;
      }
      case "chatUpdate" -> {
        ChatUpdateRequest request =
            ((ChatUpdateRequest.ChatUpdateRequestBuilder)
                    configure.configure(ChatUpdateRequest.builder()))
                .build();
        calls.add(
            new Call("chat.update", request.getChannel(), request.getText(), request.getTs()));
        String error = next();
        ChatUpdateResponse response = new ChatUpdateResponse();
        response.setOk(error == null);
        response.setError(error);
        return response;
      }
      case "usergroupsUsersList" -> {
        calls.add(new Call("usergroups.users.list", null, null, null));
        String error = next();
        UsergroupsUsersListResponse response = new UsergroupsUsersListResponse();
        response.setOk(error == null);
        response.setError(error);
        if ("missing_scope".equals(error)) {
          response.setNeeded("usergroups:read");
        }
        response.setUsers(error == null ? groupMembers : null);
        return response;
      }
      default -> throw new UnsupportedOperationException(method);
    }
  }

  /** Throws a queued HTTP failure, or returns a queued Slack error (null: ok). */
  private String next() throws SlackApiException {
    Object answer = answers.poll();
    if (answer instanceof SlackApiException e) {
      throw e;
    }
    return answer instanceof String error ? error : null;
  }

  private static SlackApiException exception(int status, String retryAfter) {
    Response.Builder response =
        new Response.Builder()
            .request(new Request.Builder().url("http://slack.test/api/").build())
            .protocol(Protocol.HTTP_1_1)
            .code(status)
            .message("status " + status);
    if (retryAfter != null) {
      response.header("Retry-After", retryAfter);
    }
    return new SlackApiException(response.build(), "");
  }
}
