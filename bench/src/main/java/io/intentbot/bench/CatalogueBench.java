package io.intentbot.bench;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Catalogue load: 1,000 generated intent files (typed parameters, a lock, five steps of three types
 * with expressions) loaded and validated by {@link IntentLoader}, first in a fresh JVM (what
 * start-up pays) and then warm (median of further loads).
 */
final class CatalogueBench {

  private static final int FILES = 1000;
  private final int warmLoads;

  CatalogueBench(int warmLoads) {
    this.warmLoads = warmLoads;
  }

  Figures run(Path work) throws Exception {
    Path dir = Files.createDirectories(work.resolve("intents"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(dir.resolve(name(i) + ".yaml"), intent(i));
    }
    EngineFixture fixture = BenchEngines.fixture(work);
    IntentbotConfig config = fixture.loadConfig();
    long start = System.nanoTime();
    StepTypeRegistry registry = fixture.registry(config);
    long loading = System.nanoTime();
    IntentCatalog first = new IntentLoader(registry).load(dir);
    long loaded = System.nanoTime();
    double registryMs = (loading - start) / 1e6;
    double coldMs = (loaded - loading) / 1e6;
    check(first);
    double[] warm = new double[warmLoads];
    for (int i = 0; i < warmLoads; i++) {
      long t = System.nanoTime();
      check(new IntentLoader(registry).load(dir));
      warm[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(warm);
    return new Figures("catalogue")
        .put("catalogue_load_ms_1000", coldMs, "< 1000")
        .put("step_registry_ms", registryMs)
        .put("catalogue_load_ms_1000_with_registry", registryMs + coldMs)
        .put("catalogue_load_ms_1000_warm", warm[warm.length / 2])
        .put("intents_loaded", first.all().size(), "== " + FILES)
        .put("load_problems", first.problems().size(), "== 0");
  }

  private static void check(IntentCatalog catalog) {
    if (!catalog.problems().isEmpty() || catalog.all().size() != FILES) {
      throw new IllegalStateException(
          "generated intents did not load: "
              + catalog.all().size()
              + " loaded, problems "
              + catalog.problems().subList(0, Math.min(5, catalog.problems().size())));
    }
  }

  private static String name(int i) {
    return "generated-%04d".formatted(i);
  }

  static String intent(int i) {
    return """
        name: %s
        description: Generated intent number %d for the catalogue benchmark
        risk: mutating
        parameters:
          app: { type: app, required: true }
          env: { type: environment, required: true }
          version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$', description: image tag }
          replicas: { type: integer, min: 1, max: 20, default: 2 }
          mode: { type: enum, values: [fast, safe], default: safe }
          settle: { type: duration, default: 1s }
        lock: "${{ params.app }}/${{ params.env }}"
        steps:
          - id: version
            type: set
            with: { version: "${{ params.version }}", n: "%d" }
          - id: show
            type: shell
            with:
              command: [echo, "${{ params.app }}", "${{ steps.version.outputs.version }}"]
          - id: settle
            if: "${{ params.mode == 'safe' }}"
            type: wait
            with: { duration: "${{ params.settle }}" }
          - id: scale
            type: shell
            with:
              command: [echo, "replicas", "${{ string(params.replicas) }}"]
            timeout: 30s
            retry: { attempts: 3, backoff: 1s }
          - id: done
            type: set
            with: { summary: "${{ params.app }} in ${{ env.namespace }}" }
        outputs:
          version: "${{ steps.version.outputs.version }}"
        """
        .formatted(name(i), i, i);
  }
}
