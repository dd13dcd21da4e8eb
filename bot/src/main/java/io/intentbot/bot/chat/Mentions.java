package io.intentbot.bot.chat;

import java.util.ArrayList;
import java.util.List;

/** How a chat shows a user or a user group in text. */
public interface Mentions {

  String user(String id);

  String group(String id);

  /** A channel: {@code #C0123} (Slack overrides it with a link). */
  default String channel(String id) {
    return "#" + id;
  }

  /** Slack markup: {@code <@U123>}, {@code <!subteam^S123>}. */
  Mentions SLACK =
      new Mentions() {
        @Override
        public String user(String id) {
          return "<@" + id + ">";
        }

        @Override
        public String group(String id) {
          return "<!subteam^" + id + ">";
        }

        @Override
        public String channel(String id) {
          return "<#" + id + ">";
        }
      };

  /** Plain text: {@code @alice}, {@code group sre}. */
  Mentions PLAIN =
      new Mentions() {
        @Override
        public String user(String id) {
          return "@" + id;
        }

        @Override
        public String group(String id) {
          return "group " + id;
        }
      };

  /** The ids as they are: {@code alice}, {@code sre}; for sentences read on a terminal. */
  Mentions IDS =
      new Mentions() {
        @Override
        public String user(String id) {
          return id;
        }

        @Override
        public String group(String id) {
          return id;
        }
      };

  /** Who may approve under a policy, as one phrase; "nobody is configured" when empty. */
  default String approvers(io.intentbot.engine.config.ApprovalPolicy policy) {
    List<String> names = new ArrayList<>();
    policy.approvers().forEach(id -> names.add(user(id)));
    policy.groups().forEach(id -> names.add(group(id)));
    if (names.isEmpty()) {
      return "nobody is configured as approver";
    }
    return String.join(", ", names);
  }
}
