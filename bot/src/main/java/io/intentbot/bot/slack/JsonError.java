package io.intentbot.bot.slack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/** The answer serve's filters give a request they stop: a status and {@code {"error": "..."}}. */
final class JsonError {

  private JsonError() {}

  /** Writes {@code status} with {@code {"error": message}}; {@code message} is plain text. */
  static void send(HttpServletResponse out, int status, String message) throws IOException {
    out.setStatus(status);
    out.setContentType("application/json");
    out.getOutputStream()
        .write(
            ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
