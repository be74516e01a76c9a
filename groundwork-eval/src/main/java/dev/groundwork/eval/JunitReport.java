package dev.groundwork.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run as JUnit XML (one testsuite, one testcase per case), the format CI systems read. */
public final class JunitReport {
  private JunitReport() {}

  public static String render(EvalRun run) {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    long failures = run.cases().stream().filter(c -> !c.passed() && c.error() == null).count();
    long errors = run.cases().stream().filter(c -> c.error() != null).count();
    sb.append(String.format("<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\" timestamp=\"%s\">%n",
        esc(run.suite()), run.cases().size(), failures, errors, run.seconds(), esc(run.started())));
    for (CaseResult c : run.cases()) {
      sb.append(String.format("  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", esc(run.suite()), esc(c.id()), c.latencyMs() / 1000.0));
      if (c.passed()) {
        sb.append("/>\n");
        continue;
      }
      sb.append(">\n");
      String tag = c.error() != null ? "error" : "failure";
      sb.append(String.format("    <%s message=\"%s\">%s</%s>%n", tag, esc(c.firstFailure()), esc(details(c)), tag));
      sb.append("  </testcase>\n");
    }
    return sb.append("</testsuite>\n").toString();
  }

  private static String details(CaseResult c) {
    StringBuilder d = new StringBuilder("question: " + c.question() + "\nanswer: " + c.answer() + "\n");
    for (var o : c.outcomes()) d.append(o.passed() ? "pass " : "FAIL ").append(o.type()).append(o.passed() ? "" : ": " + o.message()).append('\n');
    if (c.runs() > 1) d.append("passed ").append(c.passes()).append(" of ").append(c.runs()).append(" runs\n");
    return d.toString();
  }

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder out = new StringBuilder();
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') out.append(ch); // XML 1.0 forbids other control characters
        }
      }
    }
    return out.toString();
  }

  public static void write(EvalRun run, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(run), StandardCharsets.UTF_8);
  }
}
