package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The directive grammar: {@code name[=value](;name[=value])*}. */
class DirectivesTest {

  @Test
  void parsesValuesAndFlagsIgnoringCaseSpacesAndEmptyItems() {
    Directives d = Directives.parse(" Latency=100 ; jitter=5;;TTFT=7;gap=3;status=503;retry-after=2;hang;disconnect-after=4;malformed;tokens=9;pad=64; ");

    assertEquals(100, d.latencyMs());
    assertEquals(5, d.jitterMs());
    assertEquals(7, d.ttftMs());
    assertEquals(3, d.gapMs());
    assertEquals(OptionalLong.of(503), d.status());
    assertEquals(OptionalLong.of(2), d.retryAfterSeconds());
    assertTrue(d.hang());
    assertEquals(OptionalLong.of(4), d.disconnectAfter());
    assertTrue(d.malformed());
    assertEquals(OptionalLong.of(9), d.tokens());
    assertEquals(64, d.padBytes());
  }

  @Test
  void emptyOrMissingMeansNothing() {
    Directives d = Directives.parse(null);

    assertEquals(0, d.latencyMs());
    assertFalse(d.hang());
    assertEquals(OptionalLong.empty(), d.status());
    assertEquals("", Directives.parse("  ").toString());
  }

  @Test
  void overridesReplaceOnlyTheNamesTheySet() {
    Directives merged = Directives.parse("status=500;latency=50").overriddenBy(Directives.parse("status=429;tokens=3"));

    assertEquals("latency=50;status=429;tokens=3", merged.toString());
  }

  @Test
  void rejectsUnknownNamesMissingValuesFlagValuesAndOutOfRangeNumbers() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Directives.parse("latency=1;boom"));
    assertTrue(unknown.getMessage().contains("'boom'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("disconnect-after=N"), "lists the known directives");

    assertThrows(IllegalArgumentException.class, () -> Directives.parse("latency"));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("latency="));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("malformed=1"));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("gap=-1"));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("gap=1.5"));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("status=302"));
    assertThrows(IllegalArgumentException.class, () -> Directives.parse("status=600"));
  }
}
