package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.budget.BudgetExceededException;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.BudgetPeriod;
import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.budget.UnpricedModelException;
import dev.groundwork.core.model.BudgetedChatModel;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.FallbackChatModel;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.Price;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.core.model.TokenUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budget decorator over a real SQLite ledger: what each kind of call reserves, and what it is charged in the end. */
class BudgetedChatModelTest {
  /** $1 per 1M tokens in and $10 per 1M out: 1,000 output tokens cost a cent. */
  static final PriceTable PRICES = new PriceTable(Map.of("test:cheap", new Price(1, 1, 10), "test:other", new Price(1, 1, 10)));
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  JdbcStore store;
  JdbcBudgetLedger ledger;

  @BeforeEach
  void open() {
    store = JdbcStore.sqlite(dir.resolve("g.db"));
    ledger = new JdbcBudgetLedger(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Budgets budgets(double dayUsd) {
    return new Budgets(List.of(BudgetLimit.project(BudgetPeriod.DAY, dayUsd)), null, null, Budgets.UnknownPrice.REFUSE, 500, () -> ledger,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  double spent() {
    return ledger.spent(BudgetLimit.project(BudgetPeriod.DAY, 1), NOW);
  }

  /** Replies with {@code out} output tokens, streamed as two pieces, or fails as scripted. */
  static final class Scripted implements ChatModel {
    final String name;
    final List<ChatRequest> seen = new ArrayList<>();
    RuntimeException failure;
    boolean failAfterFirstPiece;
    long out = 100;

    Scripted(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ChatResponse chat(ChatRequest r) {
      seen.add(r);
      if (failure != null) throw failure;
      return new ChatResponse("fine", List.of(), new TokenUsage(20, 0, out, false), name, "stop");
    }

    @Override
    public ChatResponse stream(ChatRequest r, Consumer<String> onToken) {
      seen.add(r);
      onToken.accept("fi");
      if (failAfterFirstPiece) throw new ModelException(name, ModelException.Kind.UNAVAILABLE, "stream cut");
      onToken.accept("ne");
      return new ChatResponse("fine", List.of(), new TokenUsage(20, 0, out, false), name, "stop");
    }
  }

  @Test
  void aCallIsSentWithTheCapItsBoundAssumesAndChargedWhatItCost() {
    Scripted m = new Scripted("test:cheap");
    ChatModel b = new BudgetedChatModel(m, budgets(1.0), PRICES);
    b.chat(ChatRequest.of(ChatMessage.user("hello")));
    assertThat(m.seen.get(0).maxTokens()).as("no max_tokens asked: the budgets' cap is sent").isEqualTo(500);
    // 20 in at $1/M + 100 out at $10/M
    assertThat(spent()).isEqualTo((20 * 1 + 100 * 10) / 1e6, within(1e-9));
  }

  @Test
  void aCallWhoseBoundDoesNotFitIsNotSentAtAll() {
    Scripted m = new Scripted("test:cheap");
    // 500 output tokens at $10/M = $0.005 of bound, over a budget of $0.004
    ChatModel b = new BudgetedChatModel(m, budgets(0.004), PRICES);
    assertThatThrownBy(() -> b.chat(ChatRequest.of(ChatMessage.user("hello")))).isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("the project's daily budget of $0.004000").hasMessageContaining("resets at 2026-12-04T00:00:00Z");
    assertThat(m.seen).isEmpty();
    assertThat(spent()).isZero();
    // a smaller max_tokens fits: 100 out = $0.001 plus the input's bound
    b.chat(new ChatRequest(List.of(ChatMessage.user("hello")), null, 100, List.of(), null, null));
    assertThat(m.seen).hasSize(1);
  }

  @Test
  void theInputBoundCoversTheRequestsBytes() {
    Scripted m = new Scripted("test:cheap");
    String longText = "ü".repeat(10_000); // 20,000 UTF-8 bytes: the bound counts bytes, not characters or words
    ChatRequest r = new ChatRequest(List.of(ChatMessage.user(longText)), null, 1, List.of(), null, null);
    assertThat(m.inputTokenBound(r)).isGreaterThanOrEqualTo(20_000);
    // its bound is 20,000+ input tokens at $1/M = $0.02+: a $0.015 budget refuses it
    assertThatThrownBy(() -> new BudgetedChatModel(m, budgets(0.015), PRICES).chat(r)).isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void failuresBeforeOutputAreFreeAndCutStreamsKeepTheirBound() {
    Scripted m = new Scripted("test:cheap");
    ChatModel b = new BudgetedChatModel(m, budgets(1.0), PRICES);
    m.failure = new ModelException("test:cheap", ModelException.Kind.SERVER_ERROR, "500");
    assertThatThrownBy(() -> b.chat(ChatRequest.of(ChatMessage.user("hello")))).isInstanceOf(ModelException.class);
    assertThat(spent()).as("a 5xx before any output costs nothing").isZero();
    m.failure = null;
    m.failAfterFirstPiece = true;
    ChatRequest r = new ChatRequest(List.of(ChatMessage.user("hello")), null, 300, List.of(), null, null);
    assertThatThrownBy(() -> b.stream(r, t -> {})).isInstanceOf(ModelException.class);
    double bound = (m.inputTokenBound(r) * 1 + 300 * 10) / 1e6;
    assertThat(spent()).as("a stream cut after output began keeps its whole bound").isEqualTo(bound, within(1e-9));
    // the client going away (the token consumer throws) is a cut too
    m.failAfterFirstPiece = false;
    assertThatThrownBy(() -> b.stream(r, t -> {
      throw new java.io.UncheckedIOException(new java.io.IOException("client went away"));
    })).isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(spent()).isEqualTo(2 * bound, within(1e-9));
  }

  @Test
  void everyModelOfAFallbackChainIsChargedForItsOwnAttempt() {
    Scripted first = new Scripted("test:cheap");
    first.failure = new ModelException("test:cheap", ModelException.Kind.SERVER_ERROR, "500");
    Scripted second = new Scripted("test:other");
    second.out = 200;
    Budgets budgets = budgets(1.0);
    ChatModel chain = new FallbackChatModel(List.of(new BudgetedChatModel(first, budgets, PRICES), new BudgetedChatModel(second, budgets, PRICES)));
    chain.chat(ChatRequest.of(ChatMessage.user("hello")));
    assertThat(first.seen).hasSize(1);
    assertThat(spent()).isEqualTo((20 + 200 * 10) / 1e6, within(1e-9));
  }

  @Test
  void anUnpricedModelIsRefusedUnderABudgetAndFreeOfOneWithout() {
    Scripted m = new Scripted("test:unknown");
    assertThatThrownBy(() -> new BudgetedChatModel(m, budgets(1.0), PRICES).chat(ChatRequest.of(ChatMessage.user("hi"))))
        .isInstanceOf(UnpricedModelException.class).hasMessageContaining("test:unknown").hasMessageContaining("prices:");
    assertThat(m.seen).isEmpty();
    Budgets none = Budgets.none(() -> {
      throw new AssertionError("no budget applies: the ledger is not needed");
    });
    new BudgetedChatModel(m, none, PRICES).chat(ChatRequest.of(ChatMessage.user("hi")));
    assertThat(m.seen).hasSize(1);
    Budgets allow = new Budgets(List.of(BudgetLimit.project(BudgetPeriod.DAY, 1)), null, null, Budgets.UnknownPrice.ALLOW, 500, () -> ledger,
        Clock.fixed(NOW, ZoneOffset.UTC));
    new BudgetedChatModel(m, allow, PRICES).chat(ChatRequest.of(ChatMessage.user("hi")));
    assertThat(m.seen).hasSize(2);
  }

  @Test
  void aKeysLimitsApplyOnlyToCallsMadeForIt() {
    Scripted m = new Scripted("test:cheap");
    Budgets budgets = budgets(1.0);
    ChatModel b = new BudgetedChatModel(m, budgets, PRICES);
    Budgets.Payer key = budgets.payer("k1", null, 0.002, null);
    // a bound of $0.005+ (500 output tokens) does not fit the key's $0.002 a day
    assertThatThrownBy(() -> Budgets.paidBy(key, () -> b.chat(ChatRequest.of(ChatMessage.user("hi"))))).isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("key k1's daily budget");
    b.chat(ChatRequest.of(ChatMessage.user("hi"))); // the same call for the project alone fits
    ChatRequest small = new ChatRequest(List.of(ChatMessage.user("hi")), null, 100, List.of(), null, null);
    Budgets.paidBy(key, () -> b.chat(small));
    assertThat(ledger.spent(BudgetLimit.key("k1", BudgetPeriod.DAY, 1), NOW)).isEqualTo((20 + 100 * 10) / 1e6, within(1e-9));
    assertThat(spent()).as("the project pays for both").isEqualTo(2 * (20 + 100 * 10) / 1e6, within(1e-9));
  }
}
