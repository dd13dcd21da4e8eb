package io.intentbot.engine;

import io.intentbot.engine.testing.EngineFixture;

/** The secret parameters contract on the H2 audit file that engines share by default. */
class SecretParametersTest extends SecretParametersContract {

  @Override
  protected void useDatabase(EngineFixture fixture) {
    // the fixture's own H2 file under its folder: fresh for every test
  }
}
