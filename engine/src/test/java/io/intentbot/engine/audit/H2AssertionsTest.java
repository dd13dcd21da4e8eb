package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * Tests run with Java assertions on for intentbot and off for H2 (the root pom's {@code argLine}):
 * H2's internal asserts fire when a test stops its server under a live session.
 */
class H2AssertionsTest {

  @Test
  void intentbotsAssertionsAreOnAndH2sAreOff() {
    assertThat(AuditStores.class.desiredAssertionStatus()).isTrue();
    assertThat(MVStore.class.desiredAssertionStatus()).isFalse();
  }
}
