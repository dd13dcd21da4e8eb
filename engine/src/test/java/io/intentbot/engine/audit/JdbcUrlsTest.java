package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  @Test
  void aPostgresqlPasswordParameterIsTakenOutOfTheUrl() {
    assertThat(
            JdbcUrls.takePassword(
                "jdbc:postgresql://db:5432/audit?user=bot&password=s%3Dcret&ssl=true"))
        .isEqualTo(
            new JdbcUrls.Split("jdbc:postgresql://db:5432/audit?user=bot&ssl=true", "s=cret"));
    assertThat(JdbcUrls.takePassword("jdbc:postgresql://db/audit?password=pw&user=bot"))
        .isEqualTo(new JdbcUrls.Split("jdbc:postgresql://db/audit?user=bot", "pw"));
    assertThat(JdbcUrls.takePassword("jdbc:postgresql://db/audit?password=pw"))
        .isEqualTo(new JdbcUrls.Split("jdbc:postgresql://db/audit", "pw"));
  }

  @Test
  void anH2PasswordSettingIsTakenOutOfTheUrl() {
    assertThat(
            JdbcUrls.takePassword(
                "jdbc:h2:file:/d/intentbot;USER=sa;PASSWORD=p%w;AUTO_SERVER=TRUE"))
        .isEqualTo(new JdbcUrls.Split("jdbc:h2:file:/d/intentbot;USER=sa;AUTO_SERVER=TRUE", "p%w"));
  }

  @Test
  void aUrlWithoutPasswordIsKept() {
    String url = "jdbc:h2:file:/d/intentbot;AUTO_SERVER=TRUE";

    assertThat(JdbcUrls.takePassword(url)).isEqualTo(new JdbcUrls.Split(url, null));
  }

  @Test
  void redactionMasksPasswordsInParametersAndUserInfo() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/audit?user=bot&password=hunter2"))
        .isEqualTo("jdbc:postgresql://db/audit?user=bot&password=***");
    assertThat(JdbcUrls.redact("jdbc:postgresql://bot:hunter2@db/audit"))
        .isEqualTo("jdbc:postgresql://bot:***@db/audit");
  }
}
