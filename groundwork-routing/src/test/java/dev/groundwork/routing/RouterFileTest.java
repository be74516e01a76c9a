package dev.groundwork.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterFileTest {
  @Test
  void aRouterWrittenAndReadBackScoresEveryPromptTheSame() throws Exception {
    List<Outcomes.Outcome> train = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      boolean hard = i % 2 == 0;
      train.add(new Outcomes.Outcome("p" + i, (hard ? "integrate x^" : "capital of country ") + i, i % 3 == 0 ? "a" : "b",
          Map.of("w", hard ? 0.0 : 1.0, "s", 1.0), Map.of()));
    }
    ObjectMapper json = new ObjectMapper();
    for (LearnedRouter.Spec spec : LearnedRouter.candidates(train)) {
      LearnedRouter r = LearnedRouter.train(spec, train, "w", "s");
      LearnedRouter back = LearnedRouter.fromJson(json.readTree(json.writeValueAsString(r.toJson())));
      assertThat(back.spec()).isEqualTo(spec);
      for (String p : List.of("integrate x^2", "capital of France", "something else entirely, much longer than any prompt seen in training")) {
        for (String cat : List.of("a", "b", "unseen")) {
          assertThat(back.score(p, cat)).as(spec + " " + p).isCloseTo(r.score(p, cat), within(1e-5));
        }
      }
    }
  }
}
