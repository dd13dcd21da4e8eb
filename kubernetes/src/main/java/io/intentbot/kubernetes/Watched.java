package io.intentbot.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The objects one watch selects, kept current by the API server's watch events instead of a GET per
 * look: a fabric8 informer (a LIST, then a WATCH from its resourceVersion; on a broken watch it
 * lists and watches again, as client-go's reflector does, which is what {@code kubectl rollout
 * status} waits with). Every change calls the listener, which only schedules a look.
 *
 * <pre>{@code
 * Watched<Deployment> d = Watched.of(cluster, "watch deployment web",
 *     c -> c.apps().deployments().inNamespace(ns).withName("web"), wake);
 * Watched.startAll(List.of(d));
 * }</pre>
 *
 * @param <T> the kind watched
 */
public final class Watched<T extends HasMetadata> implements AutoCloseable {

  private static final java.time.Duration WATCH_START = java.time.Duration.ofSeconds(30);

  private final SharedIndexInformer<T> informer;

  private final String what;

  private Watched(SharedIndexInformer<T> informer, String what) {
    this.informer = informer;
    this.what = what;
  }

  /**
   * A watch of {@code selection}, not started yet ({@link #startAll}); {@code changed} will run on
   * the informer's thread for every added, modified or deleted object.
   */
  public static <T extends HasMetadata> Watched<T> of(
      Cluster cluster,
      String what,
      java.util.function.Function<io.fabric8.kubernetes.client.KubernetesClient, Informable<T>>
          selection,
      Runnable changed) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            changed.run();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            changed.run();
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed.run();
          }
        };
    SharedIndexInformer<T> informer = selection.apply(cluster.client()).runnableInformer(0);
    informer.addEventHandler(handler);
    return new Watched<>(informer, what);
  }

  /**
   * Starts the watches together and blocks (call it on the call threads) until each has listed and
   * its watch is up. Changes between a LIST and its WATCH reach a real API server's watch, which
   * replays from the list's resourceVersion; the wait is for the watches to be up before the first
   * look.
   *
   * @throws Unavailable when one cannot start (no {@code list}/{@code watch} permission, the API
   *     server unavailable): every one is closed, and the caller may fall back to reading
   */
  public static void startAll(List<? extends Watched<?>> watches) {
    long deadline = System.nanoTime() + WATCH_START.toNanos();
    try {
      List<java.util.concurrent.CompletableFuture<Void>> started = new java.util.ArrayList<>();
      for (Watched<?> watch : watches) {
        started.add(watch.startInformer());
      }
      for (int i = 0; i < watches.size(); i++) {
        Watched<?> watch = watches.get(i);
        try {
          started.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new Unavailable("could not " + watch.what + ": " + message(e.getCause()), e);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new Unavailable("could not " + watch.what + ": no answer", e);
        }
        while (!watch.informer.isWatching()) {
          if (!watch.informer.isRunning() || System.nanoTime() > deadline) {
            throw new Unavailable("could not " + watch.what + ": the watch did not start", null);
          }
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
      }
    } catch (InterruptedException e) {
      watches.forEach(Watched::close);
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while starting the watches", e);
    } catch (RuntimeException e) {
      watches.forEach(Watched::close);
      throw e instanceof Unavailable u ? u : new Unavailable(e.getMessage(), e);
    }
  }

  private java.util.concurrent.CompletableFuture<Void> startInformer() {
    return informer.start().toCompletableFuture();
  }

  private static String message(Throwable e) {
    return e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
            && k.getStatus() != null
            && k.getStatus().getMessage() != null
        ? k.getCode() + " " + k.getStatus().getMessage()
        : String.valueOf(e.getMessage());
  }

  /** The objects as last seen, by name. */
  public List<T> items() {
    return informer.getStore().list().stream()
        .sorted(Comparator.comparing(o -> o.getMetadata().getName()))
        .toList();
  }

  /** The one object a watch by name selects, if it exists. */
  public Optional<T> one() {
    return items().stream().findFirst();
  }

  /** Whether the watch is up (false while the informer lists and watches again). */
  public boolean watching() {
    return informer.isWatching();
  }

  /** A watch that could not start: a wait can still read instead. */
  public static final class Unavailable extends ClusterAccessException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
