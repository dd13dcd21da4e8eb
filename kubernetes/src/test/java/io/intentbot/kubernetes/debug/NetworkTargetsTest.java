package io.intentbot.kubernetes.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTargetsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"db.shop-staging.svc.cluster.local", "web", "10.0.0.7", "_sip._tcp.example", "a."})
  void hostNamesAndAddressesPass(String host) {
    assertThat(NetworkTargets.host(host)).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"-type=any", "--help", "web -x", "web;id", "a..b", "300.1.1.1", "-", "web-", ""})
  void optionsAndOddNamesAreRefused(String host) {
    assertThatThrownBy(() -> NetworkTargets.host(host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a host name or IPv4 address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-e:80", "db:0", "db:65536", "db", ":5432", "db:54x", "-lp:4444"})
  void tcpTargetsNeedAHostAndAPort(String target) {
    assertThatThrownBy(() -> NetworkTargets.hostPort(target))
        .hasMessageStartingWith("tcp target '" + target + "' must be host:port");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-O/tmp/x",
        "ftp://web/",
        "http://-x/",
        "http://web/ -O /tmp/x",
        "http:///path",
        "file:///etc/passwd"
      })
  void urlsMustBeHttpWithAHostName(String url) {
    assertThatThrownBy(() -> NetworkTargets.url(url))
        .hasMessageStartingWith("http target '" + url + "' must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://web.shop:8080/healthz?x=1", "https://10.1.2.3/", "HTTP://web/"})
  void urlsPass(String url) {
    assertThat(NetworkTargets.url(url)).isEqualTo(url);
  }
}
