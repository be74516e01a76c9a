package dev.groundwork.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressGuardTest {
  static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // literals only: no lookup
  }

  /** A resolver answering from a table, as a hostile DNS server would. */
  static dev.groundwork.http.HostResolver table(Map<String, List<String>> names) {
    return host -> {
      List<String> a = names.get(host);
      if (a == null) throw new java.net.UnknownHostException(host);
      InetAddress[] out = new InetAddress[a.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = ip(a.get(i));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return out;
    };
  }

  @Test
  void privateLoopbackLinkLocalAndReservedAddressesAreRefusedAndPublicOnesPass() throws Exception {
    for (String bad : List.of("127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.1.1",
        "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "::ffff:169.254.169.254",
        "::ffff:10.0.0.1")) {
      assertThat(AddressGuard.refusal(ip(bad))).as(bad).isNotNull();
    }
    for (String good : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
      assertThat(AddressGuard.refusal(ip(good))).as(good).isNull();
    }
    assertThat(AddressGuard.refusal(ip("169.254.169.254"))).contains("link-local");
  }

  @Test
  void aPublicLookingNameThatResolvesToTheMetadataAddressIsRefused() throws Exception {
    var dns = table(Map.of("metadata.example.com", List.of("169.254.169.254"), "mixed.example.com", List.of("93.184.216.34", "10.0.0.7"),
        "public.example.com", List.of("93.184.216.34")));
    AddressGuard guard = new AddressGuard(dns, List.of());
    assertThatThrownBy(() -> guard.resolve("metadata.example.com")).isInstanceOf(AddressGuard.Refused.class)
        .hasMessageContaining("metadata.example.com resolves to 169.254.169.254").hasMessageContaining("link-local");
    // one private answer among public ones refuses the name: a client could connect to any of them
    assertThatThrownBy(() -> guard.resolve("mixed.example.com")).isInstanceOf(AddressGuard.Refused.class).hasMessageContaining("10.0.0.7");
    assertThat(new AddressGuard(dns, List.of()).resolve("public.example.com")).hasSize(1);
  }

  @Test
  void allowedRangesPassExactlyAndRangesAreParsedNotMatchedAsText() throws Exception {
    var dns = table(Map.of("a.test", List.of("127.0.0.1"), "b.test", List.of("127.0.0.2"), "c.test", List.of("fd00::5")));
    AddressGuard guard = new AddressGuard(dns, List.of(AddressGuard.Range.parse("127.0.0.1/32"), AddressGuard.Range.parse("fd00::/8")));
    assertThat(guard.resolve("a.test")[0].getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(guard.resolve("c.test")).hasSize(1);
    assertThatThrownBy(() -> guard.resolve("b.test")).isInstanceOf(AddressGuard.Refused.class);
    assertThat(AddressGuard.Range.parse("10.0.0.0/8").contains(ip("10.255.0.1"))).isTrue();
    assertThat(AddressGuard.Range.parse("10.0.0.0/8").contains(ip("11.0.0.1"))).isFalse();
    assertThat(AddressGuard.Range.parse("172.16.0.0/12").contains(ip("172.31.0.1"))).isTrue();
    assertThat(AddressGuard.Range.parse("172.16.0.0/12").contains(ip("172.32.0.1"))).isFalse();
    assertThatThrownBy(() -> AddressGuard.Range.parse("localhost")).hasMessageContaining("not an IP range");
    assertThatThrownBy(() -> AddressGuard.Range.parse("10.0.0.0/33")).hasMessageContaining("prefix");
  }
}
