package dev.groundwork.tuning.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The detectors on a labelled fixture: for each kind, texts that hold one and look-alikes that must
 * not be found. Precision and recall per kind are printed (the README's table) and held to 1.0: a
 * detector that starts missing one, or finding a look-alike, fails here.
 */
class PiiTest {
  @Test
  void precisionAndRecallPerKindOnTheLabelledFixture() throws Exception {
    String fixture;
    try (InputStream in = PiiTest.class.getResourceAsStream("pii-fixture.tsv")) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Pii pii = Pii.standard("US");
    Map<String, int[]> byKind = new TreeMap<>(); // tp, fp, fn
    for (String line : fixture.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.split("\t");
      String kind = f[0];
      boolean expected = f[1].equals("1");
      boolean found = pii.find(f[2]).stream().anyMatch(m -> m.kind().equals(kind));
      int[] c = byKind.computeIfAbsent(kind, k -> new int[3]);
      if (found && expected) c[0]++;
      else if (found) c[1]++;
      else if (expected) c[2]++;
    }
    StringBuilder table = new StringBuilder("kind     precision  recall\n");
    byKind.forEach((k, c) -> table.append(String.format(java.util.Locale.ROOT, "%-8s %9.2f %7.2f%n", k, c[0] / (double) Math.max(1, c[0] + c[1]),
        c[0] / (double) Math.max(1, c[0] + c[2]))));
    System.out.println(table);
    assertThat(byKind).containsOnlyKeys("card", "email", "iban", "ip", "phone", "secret");
    byKind.forEach((k, c) -> {
      assertThat(c[1]).as(k + ": look-alikes found\n" + table).isZero();
      assertThat(c[2]).as(k + ": missed\n" + table).isZero();
    });
  }

  @Test
  void scrubbingReplacesEachFindingByItsKindAndLeavesTheRest() {
    Pii pii = Pii.standard("US");
    String text = "Mail bob@example.com or call +1 415 555 0132; card 4111 1111 1111 1111, host 10.0.4.17.";
    assertThat(pii.scrub(text)).isEqualTo("Mail [EMAIL] or call [PHONE]; card [CARD], host [IP].");
    Pii more = pii.with(new Pii.Detector() {
      @Override
      public String kind() {
        return "employee_id";
      }

      @Override
      public List<Pii.Match> find(String t) {
        var m = java.util.regex.Pattern.compile("\\bEMP-\\d{6}\\b").matcher(t);
        List<Pii.Match> out = new java.util.ArrayList<>();
        while (m.find()) out.add(new Pii.Match("employee_id", m.start(), m.end()));
        return out;
      }
    });
    assertThat(more.scrub("Badge EMP-004211 at the desk")).isEqualTo("Badge [EMPLOYEE_ID] at the desk");
  }
}
