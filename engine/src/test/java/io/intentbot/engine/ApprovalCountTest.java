package io.intentbot.engine;

import io.intentbot.engine.testing.EngineFixture;

/** Approvals stop at the required count, on the H2 audit file that engines share by default. */
class ApprovalCountTest extends ApprovalCountContract {

  @Override
  protected void useDatabase(EngineFixture fixture) {
    // the fixture's own H2 file under its folder: fresh for every test
  }
}
