package dev.groundwork.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {
  static ScoredChunk chunk(String id, String source, String heading, String text, double score) {
    return new ScoredChunk(new Chunk(id, source, source, "Tidewater", "text/markdown", List.of(heading), null, 0, text.length(), text, null, 0), score);
  }

  // document frequencies as a corpus of product docs would give them
  static final Map<String, Double> DF = Map.of("tidewater", 0.6, "queue", 0.4, "default", 0.2, "visibility", 0.05, "timeout", 0.08, "job", 0.5);
  final ExtractiveAnswerer answerer = new ExtractiveAnswerer(new ContextAssembler(3000), t -> DF.getOrDefault(t, 0.0), 0.45, 3);

  final List<ScoredChunk> retrieved = List.of(
      chunk("vt#0", "concepts/visibility-timeout.md", "Visibility timeout",
          "When a worker receives a job, the job becomes invisible to other workers. The default visibility timeout is 30 seconds. Set it per queue.", 0.9),
      chunk("q#0", "concepts/queues.md", "Queues", "A queue is a named, ordered collection of jobs. The default priority is 5.", 0.5));

  @Test
  void quotesTheBestSentenceAndCitesItsSource() {
    Answer a = answerer.answer("What is the default visibility timeout?", retrieved);
    assertThat(a.refused()).isFalse();
    assertThat(a.text()).startsWith("The default visibility timeout is 30 seconds. [1]");
    assertThat(a.citations()).first().satisfies(c -> {
      assertThat(c.n()).isEqualTo(1);
      assertThat(c.source()).isEqualTo("concepts/visibility-timeout.md");
      assertThat(c.chunkId()).isEqualTo("vt#0");
      assertThat(c.text()).isEqualTo("The default visibility timeout is 30 seconds.");
    });
    // every [n] in the text maps to a citation
    for (var m : java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(a.text()).results().toList()) {
      int n = Integer.parseInt(m.group(1));
      assertThat(a.citations()).anyMatch(c -> c.n() == n);
    }
  }

  @Test
  void refusesWhenTheQuestionIsAboutSomethingTheDocumentsDoNotMention() {
    Answer a = answerer.answer("What is the boiling point of mercury?", retrieved);
    assertThat(a.refused()).isTrue();
    assertThat(a.text()).isEqualTo(ExtractiveAnswerer.REFUSAL);
    assertThat(a.citations()).isEmpty();
    assertThat(a.evidence()).isLessThan(0.45);
  }

  @Test
  void refusesWithNothingRetrievedOrOnlyStopWords() {
    assertThat(answerer.answer("What is the default visibility timeout?", List.of()).refused()).isTrue();
    assertThat(answerer.answer("what is it?", retrieved).refused()).isTrue();
  }

  @Test
  void duplicateSentencesFromOverlappingChunksAreQuotedOnce() {
    String t = "The default visibility timeout is 30 seconds.";
    List<ScoredChunk> dup = List.of(chunk("a#0", "a.md", "Visibility timeout", t, 0.9), chunk("a#1", "a.md", "Visibility timeout", t, 0.8));
    Answer a = answerer.answer("default visibility timeout", dup);
    assertThat(a.text()).isEqualTo(t + " [1]");
  }

  @Test
  void listMarkersAreNotQuoted() {
    List<ScoredChunk> list = List.of(chunk("c#0", "c.md", "Config", "- queue.visibility_timeout (default 30s): the default visibility timeout.\n- queue.max_attempts (default 5).", 0.9));
    Answer a = answerer.answer("default visibility timeout", list);
    assertThat(a.text()).startsWith("queue.visibility_timeout (default 30s)");
  }
}
