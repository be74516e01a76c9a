package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {
  @TempDir Path dir;

  Path write(String name, String yaml) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void readsCasesWithDefaultsAppended() throws Exception {
    Path f = write("s.yaml", """
        name: demo
        k: 5
        min_pass_rate: 0.8
        defaults:
          assert: [{type: grounded, threshold: 0.7}]
        cases:
          - id: a
            question: What is X?
            expected_sources: [docs/x.md]
            tags: [t1]
            assert:
              - {type: contains, value: forty-two, weight: 2}
              - {type: cites-source}
          - id: b
            question: Unknown?
            assert: [{type: refuses}]
        """);
    Suite s = SuiteLoader.load(f).get(0);
    assertThat(s.name()).isEqualTo("demo");
    assertThat(s.k()).isEqualTo(5);
    assertThat(s.minPassRate()).isEqualTo(0.8);
    assertThat(s.hash()).hasSize(64);
    assertThat(s.cases()).extracting(EvalCase::id).containsExactly("a", "b");
    assertThat(s.cases().get(0).assertions()).extracting(Assertion::type).containsExactly("contains", "cites-source", "grounded");
    assertThat(s.cases().get(0).assertions().get(0).weight()).isEqualTo(2.0);
    assertThat(s.cases().get(1).assertions()).extracting(Assertion::type).containsExactly("refuses", "grounded");
  }

  @Test
  void aCaseCanBeAConversationWhoseLastUserMessageIsTheQuestion() throws Exception {
    Suite s = SuiteLoader.load(write("c.yaml", """
        cases:
          - id: follow-up
            messages:
              - {role: user, content: "What happens to dead jobs?"}
              - {role: assistant, content: "They move to the dead-letter queue."}
              - {role: user, content: "and how long are they kept?"}
            expected_sources: [docs/retention.md]
            assert: [{type: retrieved-source}]
        """)).get(0);
    EvalCase c = s.cases().get(0);
    assertThat(c.question()).isEqualTo("and how long are they kept?");
    assertThat(c.earlier()).extracting(dev.groundwork.core.retrieve.FollowUps.Turn::role).containsExactly("user", "assistant");
    assertThat(c.earlier().get(0).content()).isEqualTo("What happens to dead jobs?");
    assertThat(c.expectedRetrievals()).containsExactly("docs/retention.md");

    assertThatThrownBy(() -> SuiteLoader.load(write("c1.yaml", "cases:\n  - id: a\n    messages: [{role: user, content: hi}, {role: assistant, content: yo}]\n")))
        .hasMessageContaining("c1.yaml: cases[id=a].messages: the last must be the user's question");
    assertThatThrownBy(() -> SuiteLoader.load(write("c2.yaml", "cases:\n  - id: a\n    messages: [{role: robot, content: hi}]\n")))
        .hasMessageContaining("c2.yaml: cases[id=a].messages[0].role: got 'robot'; accepted: assistant, user");
    assertThatThrownBy(() -> SuiteLoader.load(write("c3.yaml", "cases:\n  - id: a\n    question: q\n    messages: [{role: user, content: hi}]\n")))
        .hasMessageContaining("give 'question' or 'messages', not both");
    assertThatThrownBy(() -> SuiteLoader.load(write("c4.yaml", "cases:\n  - id: a\n    messages: []\n")))
        .hasMessageContaining("c4.yaml: cases[id=a].messages: must be a non-empty list");
    assertThatThrownBy(() -> SuiteLoader.load(write("c5.yaml", "cases:\n  - id: a\n    messages: [{role: user, text: hi}]\n")))
        .hasMessageContaining("c5.yaml: unknown key 'cases[id=a].messages[0].text'; accepted keys under cases[id=a].messages[0]: content, role");
  }

  @Test
  void aFolderLoadsEverySuiteInIt() throws Exception {
    write("b.yaml", "cases: [{id: x, question: q}]\n");
    write("a.yml", "cases: [{id: y, question: q}]\n");
    write("notes.txt", "ignored");
    assertThat(SuiteLoader.load(dir)).extracting(Suite::name).containsExactly("a", "b");
  }

  @Test
  void errorsNameTheFileTheCaseAndTheField() throws Exception {
    assertThatThrownBy(() -> SuiteLoader.load(write("m.yaml", "cases: [{id: a, question: [unclosed\n")))
        .isInstanceOf(SuiteException.class).hasMessageContaining("m.yaml: malformed YAML at line").hasMessageContaining(", column ");
    // the top of a suite is checked by the same code, with the same messages, as groundwork.yaml
    assertThatThrownBy(() -> SuiteLoader.load(write("n.yaml", "nmae: x\ncases: [{id: a, question: q}]\n"))).isInstanceOf(SuiteException.class)
        .hasMessageContaining("n.yaml: unknown key 'nmae'; accepted keys: cases, defaults, k, min_pass_rate, model, name");
    assertThatThrownBy(() -> SuiteLoader.load(write("p.yaml", "min_pass_rate: lots\ncases: [{id: a, question: q}]\n")))
        .hasMessageContaining("p.yaml: min_pass_rate: must be a number in 0.0..1.0, got 'lots'");
    java.nio.file.Files.write(dir.resolve("l.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> SuiteLoader.load(dir.resolve("l.yaml"))).isInstanceOf(SuiteException.class).hasMessageContaining("l.yaml: not valid UTF-8");
    assertThatThrownBy(() -> SuiteLoader.load(write("u.yaml", "cases:\n  - id: a\n    question: q\n    asert: []\n")))
        .hasMessageContaining("u.yaml: unknown key 'cases[id=a].asert'; accepted keys under cases[id=a]: assert, expected, expected_sources, id, messages, question, tags");
    assertThatThrownBy(() -> SuiteLoader.load(write("t.yaml", "cases:\n  - id: a\n    question: q\n    assert: [{type: contains}]\n")))
        .hasMessageContaining("t.yaml: cases[id=a].assert[0].value: is required");
    assertThatThrownBy(() -> SuiteLoader.load(write("x.yaml", "cases:\n  - id: a\n    question: q\n    assert: [{type: smells-right}]\n")))
        .hasMessageContaining("x.yaml: cases[id=a].assert[0].type: unknown type 'smells-right'; accepted: cites, cites-source");
    assertThatThrownBy(() -> SuiteLoader.load(write("j.yaml", "cases:\n  - id: a\n    question: q\n    assert: [{type: llm-rubric, value: nice}]\n")))
        .hasMessageContaining("llm-rubric needs a judge model");
    assertThatThrownBy(() -> SuiteLoader.load(write("md.yaml", "model: gpt-4\ncases: [{id: a, question: q}]\n")))
        .hasMessageContaining("md.yaml: model: got 'gpt-4'; use extractive or PROVIDER:MODEL");
    assertThat(SuiteLoader.load(write("mo.yaml", "model: anthropic:claude-haiku-4-5\ncases: [{id: a, question: q}]\n")).get(0).model())
        .isEqualTo("anthropic:claude-haiku-4-5");
    write("broken-schema.json", "{\"type\": ");
    assertThatThrownBy(() -> SuiteLoader.load(write("js.yaml", "cases:\n  - id: a\n    question: q\n    assert: [{type: json-schema, value: broken-schema.json}]\n")))
        .hasMessageContaining("js.yaml: cases[id=a].assert[0].value: invalid JSON Schema");
    assertThatThrownBy(() -> SuiteLoader.load(write("jl.yaml", "cases:\n  - id: a\n    question: q\n    assert: [{type: json-schema, value: [1, 2]}]\n")))
        .hasMessageContaining("jl.yaml: cases[id=a].assert[0].value: must be a schema (a mapping) or the path of a schema file");
    assertThatThrownBy(() -> SuiteLoader.load(write("d.yaml", "cases:\n  - {id: a, question: q}\n  - {id: a, question: r}\n")))
        .hasMessageContaining("d.yaml: cases[id=a].id: duplicate id 'a'");
    assertThatThrownBy(() -> SuiteLoader.load(write("q.yaml", "cases:\n  - {id: a}\n"))).hasMessageContaining("q.yaml: cases[id=a].question: is required (or 'messages')");
    assertThatThrownBy(() -> SuiteLoader.load(write("s.yaml", "cases:\n  - {id: a, question: q, assert: [{type: cites-source}]}\n")))
        .hasMessageContaining("s.yaml: cases[id=a].expected_sources: is needed by cites-source without a value");
    assertThatThrownBy(() -> SuiteLoader.load(write("r.yaml", "cases:\n  - {id: a, question: q, assert: [{type: regex, value: '(unclosed'}]}\n")))
        .hasMessageContaining("invalid regex");
    assertThatThrownBy(() -> SuiteLoader.load(write("k.yaml", "k: 500\ncases: [{id: a, question: q}]\n"))).hasMessageContaining("k.yaml: k: must be a whole number in 1..50, got '500'");
    assertThatThrownBy(() -> SuiteLoader.load(write("e.yaml", "name: x\n"))).hasMessageContaining("e.yaml: cases: must be a non-empty list of cases");
    assertThatThrownBy(() -> SuiteLoader.load(dir.resolve("missing.yaml"))).hasMessageContaining("no such suite file or folder");
    assertThatThrownBy(() -> SuiteLoader.load(write("nm.yaml", "cases:\n  - {id: a, question: q}\n  - just text\n"))).hasMessageContaining("nm.yaml: cases[1]: must be a mapping");
    assertThatThrownBy(() -> SuiteLoader.load(write("ni.yaml", "cases:\n  - {question: q}\n"))).hasMessageContaining("ni.yaml: cases[0].id: is required");
    assertThatThrownBy(() -> SuiteLoader.load(write("tg.yaml", "cases:\n  - {id: a, question: q, tags: [x, {y: 1}]}\n")))
        .hasMessageContaining("tg.yaml: cases[id=a].tags: every entry must be a string");
    assertThatThrownBy(() -> SuiteLoader.load(write("df.yaml", "defaults:\n  assert: [{type: max-latency-ms, value: -1}]\ncases: [{id: a, question: q}]\n")))
        .hasMessageContaining("df.yaml: defaults.assert[0].value: must be a whole number in 1..");
    assertThatThrownBy(() -> SuiteLoader.load(write("w.yaml", "cases:\n  - {id: a, question: q, assert: [{type: cites, weight: heavy}]}\n")))
        .hasMessageContaining("w.yaml: cases[id=a].assert[0].weight: must be a number in 0.0..1000.0, got 'heavy'");
    // a number where text is expected is read as its text, as before
    Suite numbers = SuiteLoader.load(write("num.yaml", "cases:\n  - {id: 7, question: q, expected: 30, assert: [{type: contains, value: 30}]}\n")).get(0);
    assertThat(numbers.cases().get(0).id()).isEqualTo("7");
    assertThat(numbers.cases().get(0).expected()).isEqualTo("30");
  }
}
