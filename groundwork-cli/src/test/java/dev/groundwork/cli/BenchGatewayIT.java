package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** A small run of `groundwork bench gateway`: it measures both paths, and every request and stream succeeds. */
class BenchGatewayIT {
  @Test
  void measuresDirectAndGatewayLatencyAndHoldsStreamsOpen() {
    Cli c = Cli.run("bench", "gateway", "--clients", "1,8", "--requests", "40", "--warmup", "8", "--delay-ms", "5", "--streams", "50", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("added p50/p99 ms").contains("open streams: 50/50 completed");
    JsonNode j = c.lastLineJson();
    assertThat(j.path("rows")).hasSize(4); // 2 client counts x streaming or not
    for (JsonNode row : j.path("rows")) {
      assertThat(row.path("errors").asInt()).isZero();
      assertThat(row.path("direct_p50_ms").asDouble()).isGreaterThanOrEqualTo(5); // the upstream's delay
      assertThat(row.path("gateway_p50_ms").asDouble()).isGreaterThanOrEqualTo(5);
    }
    assertThat(j.path("open_streams_ok").asInt()).isEqualTo(50);
    // keep-alive on both hops, streams included (a stream read only up to [DONE] used to cost a new connection)
    assertThat(j.path("upstream_connections").asInt()).isPositive().isLessThan(j.path("upstream_requests").asInt() / 10);
    assertThat(j.path("rows").get(0).path("gateway_cpu_ms_per_request").asDouble()).isPositive();
  }

  @Test
  void streamingAloneCanBeMeasured() {
    Cli c = Cli.run("bench", "gateway", "--stream", "yes", "--clients", "2", "--requests", "10", "--warmup", "16", "--delay-ms", "1", "--streams", "0",
        "--log", "journal", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode rows = c.lastLineJson().path("rows");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("stream").asBoolean()).isTrue();
    assertThat(rows.get(0).path("requests").asInt()).isEqualTo(10);
    assertThat(rows.get(0).path("errors").asInt()).isZero();
    assertThat(c.lastLineJson().path("log").asText()).isEqualTo("journal");
    assertThat(Cli.run("bench", "gateway", "--stream", "sometimes").err()).contains("--stream must be no, yes or both");
    assertThat(Cli.run("bench", "gateway", "--log", "maybe").err()).contains("--log must be db, journal or off");
  }

  @Test
  void theFloorIsMeasuredOnBareServersInProcessesOfTheirOwn() {
    Cli c = Cli.run("bench", "gateway", "--stream", "no", "--clients", "4", "--requests", "40", "--warmup", "8", "--delay-ms", "5", "--streams", "0",
        "--floor", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("(bare Javalin, waits 5 ms)", "(bare Javalin, forwards bytes)");
    JsonNode rows = c.lastLineJson().path("rows");
    assertThat(rows).hasSize(3); // the gateway, then the two floors
    for (int i = 1; i <= 2; i++) {
      JsonNode row = rows.get(i);
      assertThat(row.path("floor").asText()).isEqualTo(i == 1 ? "wait" : "forward");
      assertThat(row.path("errors").asInt()).isZero();
      assertThat(row.path("requests").asInt()).isEqualTo(40);
      assertThat(row.path("server_cpu_ms_per_request").asDouble()).isPositive();
    }
    assertThat(Cli.run("bench", "gateway", "--floor", "--in-process").err()).contains("--floor measures bare servers");
  }
}
