package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConflictException;
import dev.groundwork.app.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionRegistryTest {
  @TempDir Path dir;

  /** A clock that moves one second per reading, so ids and history are ordered and distinct. */
  static Clock ticking() {
    AtomicLong s = new AtomicLong(Instant.parse("2026-12-02T10:00:00Z").getEpochSecond());
    return new Clock() {
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      public Clock withZone(java.time.ZoneId z) {
        return this;
      }

      public Instant instant() {
        return Instant.ofEpochSecond(s.getAndIncrement());
      }
    };
  }

  static final Gate PASS = (v, current) -> new Gate.Verdict(true, "ok", Map.of("score", 1.0));
  static final Gate FAIL = (v, current) -> new Gate.Verdict(false, "score 0.2 < 0.5", Map.of("score", 0.2));

  VersionRegistry registry() {
    return new VersionRegistry(dir.resolve("versions"), ticking());
  }

  Version add(VersionRegistry r, String content) {
    return r.add(VersionKind.CONFIG, "groundwork.yaml", content.getBytes(StandardCharsets.UTF_8), Map.of("groundwork.yaml", "x"), Map.of("k", 8),
        Map.of(), "note " + content);
  }

  @Test
  void aVersionKeepsItsArtifactInputsAndParentAndReadsBackTheSame() throws Exception {
    VersionRegistry r = registry();
    Version a = add(r, "retrieval: {k: 4}\n");
    assertThat(a.id()).startsWith("config-20261202-").endsWith(VersionRegistry.sha256("retrieval: {k: 4}\n".getBytes()).substring(0, 8));
    assertThat(a.parent()).isNull();
    assertThat(Files.readString(r.artifact(a))).isEqualTo("retrieval: {k: 4}\n");
    assertThat(r.get(a.id())).isEqualTo(a);
    r.promote(a.id(), PASS, (v, f) -> { }, false);
    Version b = add(r, "retrieval: {k: 6}\n");
    assertThat(b.parent()).as("the promoted version of the kind when b was made").isEqualTo(a.id());
    assertThat(r.list(VersionKind.CONFIG)).extracting(Version::id).containsExactly(b.id(), a.id());
    assertThat(r.list(VersionKind.ROUTER)).isEmpty();
  }

  @Test
  void aFailedGateChangesNothingAndAPassedOneActivatesThenMovesThePointer() {
    VersionRegistry r = registry();
    Version a = add(r, "a");
    Version b = add(r, "b");
    List<String> activated = new ArrayList<>();
    assertThat(r.promote(a.id(), PASS, (v, f) -> activated.add(v.id()), false).promoted()).isTrue();
    VersionRegistry.Promotion failed = r.promote(b.id(), FAIL, (v, f) -> activated.add(v.id()), false);
    assertThat(failed.promoted()).isFalse();
    assertThat(failed.verdict().reason()).isEqualTo("score 0.2 < 0.5");
    assertThat(r.promoted(VersionKind.CONFIG)).get().extracting(Version::id).isEqualTo(a.id());
    assertThat(activated).containsExactly(a.id());
    // forced: promoted, and the history says so
    assertThat(r.promote(b.id(), FAIL, (v, f) -> activated.add(v.id()), true).promoted()).isTrue();
    assertThat(r.history()).extracting(VersionRegistry.Change::forced).containsExactly(false, true);
    assertThat(r.history().get(1).metrics()).containsEntry("score", 0.2);
    assertThatThrownBy(() -> r.promote(b.id(), PASS, (v, f) -> { }, false)).isInstanceOf(ConflictException.class).hasMessageContaining("already");
  }

  @Test
  void rollbackReturnsToThePreviouslyPromotedVersionStepByStep() {
    VersionRegistry r = registry();
    Version a = add(r, "a");
    Version b = add(r, "b");
    Version c = add(r, "c");
    List<String> activated = new ArrayList<>();
    VersionRegistry.Activation act = (v, f) -> activated.add(v.id());
    assertThatThrownBy(() -> r.rollback(VersionKind.CONFIG, act)).isInstanceOf(NotFoundException.class).hasMessageContaining("nothing to roll back");
    r.promote(a.id(), PASS, act, false);
    r.promote(b.id(), PASS, act, false);
    r.promote(c.id(), PASS, act, false);
    assertThat(r.rollback(VersionKind.CONFIG, act).id()).isEqualTo(b.id());
    assertThat(r.rollback(VersionKind.CONFIG, act).id()).isEqualTo(a.id());
    assertThat(r.promoted(VersionKind.CONFIG)).get().extracting(Version::id).isEqualTo(a.id());
    assertThatThrownBy(() -> r.rollback(VersionKind.CONFIG, act)).hasMessageContaining("first promoted");
    assertThat(activated).containsExactly(a.id(), b.id(), c.id(), b.id(), a.id());
    // a fresh registry object on the same folder (another process) sees the same pointer and history
    VersionRegistry again = new VersionRegistry(dir.resolve("versions"), Clock.systemUTC());
    assertThat(again.promoted(VersionKind.CONFIG)).get().extracting(Version::id).isEqualTo(a.id());
    assertThat(again.history()).extracting(VersionRegistry.Change::action).containsExactly("promote", "promote", "promote", "rollback", "rollback");
  }

  @Test
  void anActivationThatFailsLeavesThePointerWhereItWas() {
    VersionRegistry r = registry();
    Version a = add(r, "a");
    Version b = add(r, "b");
    r.promote(a.id(), PASS, (v, f) -> { }, false);
    assertThatThrownBy(() -> r.promote(b.id(), PASS, (v, f) -> {
      throw new java.io.IOException("disk full");
    }, false)).hasMessageContaining("disk full");
    assertThat(r.promoted(VersionKind.CONFIG)).get().extracting(Version::id).isEqualTo(a.id());
    assertThat(r.history()).hasSize(1);
  }

  @Test
  void badNamesAreRefusedWithWhatIsAccepted() {
    VersionRegistry r = registry();
    assertThatThrownBy(() -> VersionKind.parse("adapter")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("accepted: config, prompt, retrieval-adapter, router, model");
    assertThatThrownBy(() -> r.get("../etc")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> r.get("config-19990101-000000-deadbeef")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("groundwork versions list");
  }

  @Test
  void aCorruptRegistryFileIsNamedAndNothingIsOverwritten() throws Exception {
    VersionRegistry r = registry();
    Version a = add(r, "a");
    Version b = add(r, "b");
    r.promote(a.id(), PASS, (v, f) -> { }, false);
    Path pointers = dir.resolve("versions").resolve(VersionRegistry.POINTERS);
    Files.writeString(pointers, "{\"format\": \"groundwork-versions\", \"version\": 1, \"promot");
    assertThatThrownBy(() -> r.promote(b.id(), PASS, (v, f) -> { }, false)).isInstanceOf(dev.groundwork.app.ConfigException.class)
        .hasMessageContaining(pointers.toString()).hasMessageContaining("is corrupt").hasMessageContaining("nothing was changed");
    assertThat(Files.readString(pointers)).as("left for the user to restore").endsWith("\"promot");
    Path versionFile = dir.resolve("versions").resolve(b.id()).resolve("version.json");
    Files.writeString(versionFile, "not json");
    assertThatThrownBy(() -> r.list(null)).isInstanceOf(dev.groundwork.app.ConfigException.class).hasMessageContaining(versionFile.toString())
        .hasMessageContaining("remove its folder " + b.id());
    assertThat(Files.readString(r.artifact(a))).isEqualTo("a");
  }
}
