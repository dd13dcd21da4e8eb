package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundAddressesTest {

  private static OutboundAddresses resolvingTo(OutboundAddresses policy, String address) {
    return policy.resolvingWith(host -> new InetAddress[] {InetAddress.getByName(address)});
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "169.254.169.254",
        "fe80::1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "fd00:ec2::254",
        "100.100.100.200",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254"
      })
  void refusesLoopbackLinkLocalAndMetadataAddresses(String address) {
    assertThat(resolvingTo(OutboundAddresses.allowing(), address).refusal("svc.example"))
        .hasValueSatisfying(why -> assertThat(why).startsWith("svc.example resolves to "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "192.168.0.10", "172.16.5.5", "93.184.215.14", "fd12::1"})
  void allowsPublicAndPrivateAddresses(String address) {
    assertThat(resolvingTo(OutboundAddresses.allowing(), address).refusal("svc.example")).isEmpty();
  }

  @Test
  void oneForbiddenAddressAmongSeveralRefusesTheName() {
    OutboundAddresses policy =
        OutboundAddresses.allowing()
            .resolvingWith(
                host ->
                    new InetAddress[] {
                      InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1")
                    });
    assertThat(policy.refusal("two.example")).isPresent();
  }

  @Test
  void theAllowListTakesNamesAddressesAndRanges() {
    assertThat(
            resolvingTo(OutboundAddresses.allowing("LocalHost"), "127.0.0.1").refusal("localhost"))
        .isEmpty();
    assertThat(
            resolvingTo(OutboundAddresses.allowing("169.254.170.2"), "169.254.170.2")
                .refusal("task-metadata"))
        .isEmpty();
    assertThat(
            resolvingTo(OutboundAddresses.allowing("169.254.170.2"), "169.254.169.254")
                .refusal("task-metadata"))
        .isPresent();
    assertThat(resolvingTo(OutboundAddresses.allowing("fe80::/10"), "fe80::1234").refusal("ll"))
        .isEmpty();
    assertThat(OutboundAddresses.allowing().refusal("[::1]"))
        .hasValue(
            "[::1] resolves to 0:0:0:0:0:0:0:1, which is a loopback address: the http step does"
                + " not reach it unless http.allow in config lists it");
  }

  @Test
  void aNameThatDoesNotResolveIsLeftToTheRequest() {
    OutboundAddresses policy =
        OutboundAddresses.allowing()
            .resolvingWith(
                host -> {
                  throw new java.net.UnknownHostException(host);
                });
    assertThat(policy.refusal("nowhere.invalid")).isEmpty();
  }
}
