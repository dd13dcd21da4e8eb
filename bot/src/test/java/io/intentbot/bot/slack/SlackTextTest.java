package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlackTextTest {

  static final String EVIL = "<!channel> <https://evil.example|click to approve>";

  @Test
  void userTextNeverMakesMentionsOrLinks() {
    assertThat(SlackText.mrkdwn(EVIL))
        .isEqualTo("&lt;!channel&gt; &lt;https://evil.example|click to approve&gt;");
    assertThat(SlackText.mrkdwn("NAME  READY <none> a&b"))
        .isEqualTo("NAME  READY &lt;none&gt; a&amp;b");
  }

  @Test
  void intendedMentionsSurviveEscaping() {
    String text =
        "ask "
            + SlackText.MENTIONS.user("U0APPROVER")
            + " or "
            + SlackText.MENTIONS.group("S0SRE")
            + " in "
            + SlackText.MENTIONS.channel("C0OPS")
            + " about "
            + EVIL;
    assertThat(SlackText.mrkdwn(text))
        .isEqualTo(
            "ask <@U0APPROVER> or <!subteam^S0SRE> in <#C0OPS> about &lt;!channel&gt;"
                + " &lt;https://evil.example|click to approve&gt;");
    assertThat(SlackText.plain(text))
        .startsWith("ask @U0APPROVER or @group S0SRE in #C0OPS about <!channel>");
  }

  @Test
  void aForgedTokenStaysText() {
    String forged = "\uE000deadbeef0000@U0EVIL\uE001 \uE000@U0EVIL\uE001";
    assertThat(SlackText.mrkdwn(forged)).doesNotContain("<").doesNotContain("\uE000");
    // an id that is not a Slack id is never a mention either
    assertThat(SlackText.mrkdwn(SlackText.MENTIONS.user("x> <!here"))).isEqualTo("x&gt; &lt;!here");
  }

  @Test
  void slashCommandTextIsUnescapedOnce() {
    // Slack sends "?a=1&b=2 <tag> &lt;" as below (see Slack's slash command payloads)
    assertThat(SlackText.unescape("url=?a=1&amp;b=2 x=&lt;tag&gt; y=&amp;lt;"))
        .isEqualTo("url=?a=1&b=2 x=<tag> y=&lt;");
    assertThat(SlackText.unescape("deploy-app\u00A0app=web\u00A0env=sandbox"))
        .isEqualTo("deploy-app app=web env=sandbox");
    assertThat(SlackText.unescape(null)).isNull();
  }
}
