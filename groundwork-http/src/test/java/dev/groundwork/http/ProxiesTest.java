package dev.groundwork.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  static final Map<String, String> ENV = Map.of("HTTPS_PROXY", "http://user:p%40ss@proxy.corp:3128", "HTTP_PROXY", "proxy.corp:8080",
      "NO_PROXY", "internal.example, .svc.local, 10.0.0.0/8, 192.168.1.7, api.other.test:8443, [fd00::1]");

  @Test
  void eachSchemeUsesItsOwnProxyWithCredentialsFromTheUrl() {
    Proxies p = Proxies.fromEnvironment(ENV);
    var https = p.forTarget("https", "api.openai.com", 443).orElseThrow();
    assertThat(https.host()).isEqualTo("proxy.corp");
    assertThat(https.port()).isEqualTo(3128);
    assertThat(https.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("user:p@ss".getBytes()));
    var http = p.forTarget("http", "api.openai.com", 80).orElseThrow();
    assertThat(http.port()).isEqualTo(8080);
    assertThat(http.authorization()).isNull();
  }

  @Test
  void noProxyMatchesWholeLabelsAddressesRangesAndPortsNeverSubstrings() {
    Proxies p = Proxies.fromEnvironment(ENV);
    assertThat(p.forTarget("https", "internal.example", 443)).isEmpty();
    assertThat(p.forTarget("https", "a.b.internal.example", 443)).as("names under the domain").isEmpty();
    assertThat(p.forTarget("https", "notinternal.example", 443)).as("a suffix that is not a whole label").isPresent();
    assertThat(p.forTarget("https", "internal.example.evil.com", 443)).as("the domain as a prefix").isPresent();
    assertThat(p.forTarget("https", "db.svc.local", 443)).isEmpty();
    assertThat(p.forTarget("https", "10.20.30.40", 443)).as("inside 10.0.0.0/8").isEmpty();
    assertThat(p.forTarget("https", "11.0.0.1", 443)).isPresent();
    assertThat(p.forTarget("https", "192.168.1.7", 443)).isEmpty();
    assertThat(p.forTarget("https", "192.168.1.70", 443)).as("an address is not a prefix").isPresent();
    assertThat(p.forTarget("https", "api.other.test", 8443)).isEmpty();
    assertThat(p.forTarget("https", "api.other.test", 443)).as("the entry names port 8443 only").isPresent();
    assertThat(p.forTarget("https", "fd00:0:0:0:0:0:0:1", 443)).as("IPv6, compared as an address").isEmpty();
    assertThat(p.forTarget("https", "127.0.0.1", 443)).as("loopback never goes through a proxy").isEmpty();
    assertThat(p.forTarget("https", "localhost", 443)).isEmpty();
  }

  @Test
  void lowerCaseWinsAStarTurnsProxiesOffAndNothingSetMeansDirect() {
    assertThat(Proxies.fromEnvironment(Map.of("https_proxy", "http://low:1", "HTTPS_PROXY", "http://up:2")).forTarget("https", "x.test", 443))
        .get().extracting(Proxies.Proxy::host).isEqualTo("low");
    assertThat(Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "*")).forTarget("https", "x.test", 443)).isEmpty();
    assertThat(Proxies.fromEnvironment(Map.of()).forTarget("https", "x.test", 443)).isEmpty();
    assertThat(Proxies.NONE.forTarget("http", "x.test", 80)).isEmpty();
  }

  @Test
  void aProxyUrlThatCannotBeUsedNamesTheVariable() {
    assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "https://proxy:443"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("HTTPS_PROXY: only http:// proxies");
    assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("http_proxy", "http://"))).hasMessageStartingWith("http_proxy:");
    assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("HTTP_PROXY", "http://p:1", "NO_PROXY", "10.0.0.0/40"))).hasMessageContaining("NO_PROXY");
  }
}
