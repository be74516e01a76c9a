package dev.groundwork.cli;

import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectAnswering;
import dev.groundwork.app.ProjectEvals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.groundwork.core.log.QueryLog;
import dev.groundwork.server.GroundworkServer;
import dev.groundwork.store.jdbc.JdbcKeyStore;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in headless Chromium: ask a question, see a citation, give feedback, see it in the
 * log. Skips without Chromium, except in CI (.ci/run installs it from the distribution's packages).
 */
class ConsoleIT {
  @TempDir Path project;

  @Test
  void askSeeACitationGiveFeedbackAndFindItInTheLog() throws Exception {
    String chromium = Chromium.binary();
    if (System.getenv("CI") == null) assumeTrue(chromium != null, "no chromium installed; skipping the console test");
    assertThat(chromium).as("CI must install chromium (.ci/run)").isNotNull();

    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe alpha service listens on port 4242. <img src=x onerror=alert(1)>\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    Files.writeString(project.resolve("port.yaml"), "cases:\n  - {id: port, question: \"Which port does the alpha service listen on?\", assert: [{type: contains, value: \"4242\"}]}\n");
    try (Project p = Project.open(project, false); JdbcStore store = p.openStore()) {
      String key = new JdbcKeyStore(store).create("console").secret();
      JdbcQueryLog log = new JdbcQueryLog(store);
      try (GroundworkServer server = GroundworkServer.builder().answering(new ProjectAnswering(p)).queryLog(log).keys(new JdbcKeyStore(store))
          .evals(new ProjectEvals(p)).port(0).build().start(); Chromium browser = new Chromium(chromium)) {
        browser.navigate("http://127.0.0.1:" + server.port() + "/");
        browser.eval("const k = document.querySelector('#key'); k.value = '" + key + "'; k.dispatchEvent(new Event('change')); true");
        browser.waitFor("document.querySelectorAll('#model option').length > 0", Duration.ofSeconds(20));

        browser.eval("document.querySelector('#question').value = 'Which port does the alpha service listen on?';"
            + " document.querySelector('#ask-button').click(); true");
        browser.waitFor("document.querySelector('#answer details.source summary')", Duration.ofSeconds(30));
        assertThat(browser.eval("document.querySelector('#answer .text').textContent").asText()).contains("4242");
        assertThat(browser.eval("document.querySelector('#answer details.source summary').textContent").asText()).contains("[1] docs/ports.md");
        assertThat(browser.eval("document.querySelectorAll('#answer img').length").asInt()).as("document text is never HTML").isZero();

        browser.waitFor("document.querySelector('#queries tr button[data-rating=down]')", Duration.ofSeconds(20));
        browser.eval("document.querySelector('#queries tr button[data-rating=down]').click(); true");
        browser.waitFor("document.querySelector('#queries tr td.fb').textContent.includes('down')", Duration.ofSeconds(20));
        // the cost panel: the asked question's model, with its share of the queries as a bar
        browser.eval("document.querySelector('#refresh').click(); true");
        browser.waitFor("document.querySelector('#cost tr[data-kind=model] .bar')", Duration.ofSeconds(20));
        assertThat(browser.eval("document.querySelector('#cost tr[data-kind=model]').textContent").asText()).contains("extractive", "100.0%");
        assertThat(browser.eval("document.querySelector('#cost-summary').textContent").asText()).contains("1 queries", "month projected");

        // run the suite twice from the console, then compare the two runs
        for (int i = 1; i <= 2; i++) {
          browser.eval("document.querySelector('#suite').value = 'port.yaml'; document.querySelector('#eval-button').click(); true");
          browser.waitFor("document.querySelectorAll('#runs tr').length === " + i, Duration.ofSeconds(60));
        }
        assertThat(browser.eval("document.querySelector('#runs tr').textContent").asText()).contains("100.0% (1/1)");
        browser.eval("document.querySelector('#compare').click(); true");
        browser.waitFor("document.querySelector('#compare-result svg')", Duration.ofSeconds(20));
        assertThat(browser.eval("document.querySelector('#compare-result').textContent").asText()).contains("no regression").contains("unchanged 1");
        assertThat(browser.eval("document.querySelectorAll('#compare-result svg rect').length").asInt()).isGreaterThanOrEqualTo(3);
      }
      var down = log.list(new QueryLog.Query(null, null, null, "down", null, 10, 0));
      assertThat(down).singleElement().satisfies(l -> assertThat(l.entry().question()).isEqualTo("Which port does the alpha service listen on?"));
    }
  }
}
