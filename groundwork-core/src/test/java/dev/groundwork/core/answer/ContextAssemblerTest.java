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
    ContextAssembler.Context c = new ContextAssembler(50).assemble(ranked); // each ten-word chunk costs 10 + 12 (header)
    assertThat(c.sources()).extracting(s -> s.hit().id()).containsExactly("a", "b");
    assertThat(c.droppedChunks()).isEqualTo(1);
    assertThat(c.tokens()).isEqualTo(44);
  }

  @Test
  void keepsTheFirstChunkEvenWhenItAloneIsOverBudget() {
    ContextAssembler.Context c = new ContextAssembler(1).assemble(List.of(ExtractiveAnswererTest.chunk("a", "a", "h", "many words here", 1)));
    assertThat(c.sources()).hasSize(1);
  }

  @Test
  void strictModeKeepsNothingThatDoesNotFitAndUsesTheModelsCounter() {
    List<ScoredChunk> one = List.of(ExtractiveAnswererTest.chunk("a", "a", "h", "many words here", 1));
    assertThat(new ContextAssembler(10, String::length, true).assemble(one).sources()).isEmpty(); // 15 chars + 12 > 10
    assertThat(new ContextAssembler(27, String::length, true).assemble(one).tokens()).isEqualTo(27);
  }
}
