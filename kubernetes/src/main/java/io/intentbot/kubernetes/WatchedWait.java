package io.intentbot.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Waiting for one object (a Velero Backup's phase, a PVC's capacity, a VolumeSnapshot's {@code
 * readyToUse}) with a watch instead of a GET every few seconds: a look per change and every {@link
 * #RESYNC} with none; where it may not watch (or while its watch is down) a look reads instead,
 * every {@code poll_interval}.
 *
 * <pre>{@code
 * WatchedWait.until(poll, polling, cluster, "watch backup velero/b1",
 *     c -> c.genericKubernetesResources(BACKUPS).inNamespace("velero").withName("b1"),
 *     () -> read(), live -> live, this::decide, this::timedOut, output);
 * }</pre>
 */
public final class WatchedWait {

  /** How often a watched object is looked at when no change arrives. */
  public static final Duration RESYNC = Duration.ofSeconds(30);

  private WatchedWait() {}

  /**
   * @param get reads the object (null when it does not exist): the fallback, and while the watch is
   *     down
   * @param view what {@code decide} looks at, from the object (null when it does not exist)
   */
  public static <T extends HasMetadata, V, R> CompletableFuture<R> until(
      AsyncPoll poll,
      Polling polling,
      Cluster cluster,
      String what,
      Function<KubernetesClient, Informable<T>> selection,
      Callable<T> get,
      Function<T, V> view,
      Function<? super V, Optional<R>> decide,
      Function<? super V, ? extends R> timedOut,
      StepOutput output) {
    java.util.concurrent.atomic.AtomicReference<Watched<T>> watch =
        new java.util.concurrent.atomic.AtomicReference<>();
    Polling resyncing = new Polling(polling.timeout(), RESYNC);
    return poll.watch(
            resyncing,
            changed -> {
              watch.set(Watched.of(cluster, what, selection, changed));
              Watched.startAll(List.of(watch.get()));
              return List.of(watch.get());
            },
            () -> view.apply(watch.get().watching() ? watch.get().one().orElse(null) : get.call()),
            (V value, AsyncPoll.Wakeup wakeup) -> decide.apply(value),
            timedOut)
        .exceptionallyCompose(
            error -> {
              if (!(AsyncPoll.cause(error) instanceof Watched.Unavailable unavailable)) {
                return CompletableFuture.failedFuture(AsyncPoll.cause(error));
              }
              output.line(
                  unavailable.getMessage()
                      + "; reading every "
                      + Durations.format(polling.interval())
                      + " instead");
              return poll.until(polling, () -> view.apply(get.call()), decide, timedOut);
            });
  }
}
