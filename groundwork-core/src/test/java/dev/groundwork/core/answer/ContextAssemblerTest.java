package dev.groundwork.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.ScoredChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextAssemblerTest {
  @Test
  void dropsLowestRankedWholeChunksOverTheBudget() {
    String ten = "one two three four five six seven eight nine ten";
    List<ScoredChunk> ranked = List.of(ExtractiveAnswererTest.chunk("a", "a", "h", ten, 3),
        ExtractiveAnswererTest.chunk("b", "b", "h", ten, 2), ExtractiveAnswererTest.chunk("c", "c", "h", "short", 1));
    ContextAssembler.Context c = new ContextAssembler(40).assemble(ranked); // each ten-word chunk costs 18
    assertThat(c.sources()).extracting(s -> s.hit().id()).containsExactly("a", "b");
    assertThat(c.droppedChunks()).isEqualTo(1);
    assertThat(c.render()).contains("[1] a", "[2] b", ten).doesNotContain("short");
  }

  @Test
  void keepsTheFirstChunkEvenWhenItAloneIsOverBudget() {
    ContextAssembler.Context c = new ContextAssembler(1).assemble(List.of(ExtractiveAnswererTest.chunk("a", "a", "h", "many words here", 1)));
    assertThat(c.sources()).hasSize(1);
  }
}
