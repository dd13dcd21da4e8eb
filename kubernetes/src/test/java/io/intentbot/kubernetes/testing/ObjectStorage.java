package io.intentbot.kubernetes.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A Velero storage location's bucket as its object store serves it: HTTPS with a certificate of the
 * test's own CA ({@link #caPem()}, which no system trusts: a client must be given it, as a
 * BackupStorageLocation's {@code spec.objectStorage.caCert}), objects read through signed URLs that
 * expire ({@link #signedUrl}; an expired or tampered URL gets 403, as S3 answers, a missing object
 * 404 NoSuchKey). Objects are stored gzip'd, as Velero writes logs, results and resource lists.
 * Expiry is judged on the clock given (the test's virtual time).
 */
public final class ObjectStorage implements AutoCloseable {

  private static final String PASSWORD = "changeit";

  private final Clock clock;
  private final HttpsServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final byte[] signingKey = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef");

  public ObjectStorage(Clock clock) {
    this.clock = clock;
    try {
      server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
      server.createContext("/", this::serve);
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PEM of the CA that signed this server's certificate. */
  public static String caPem() {
    try (InputStream in = ObjectStorage.class.getResourceAsStream("/velero/ca.pem")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SSLContext sslContext() {
    try (InputStream in = ObjectStorage.class.getResourceAsStream("/velero/storage.p12")) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the test storage's keystore", e);
    }
  }

  /** Stores {@code content} gzip'd under {@code key} (e.g. {@code backups/b1/b1-logs.gz}). */
  public void put(String key, String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    objects.put(key, bytes.toByteArray());
  }

  /** The object under {@code key}, gunzipped, or null. */
  public String read(String key) {
    byte[] gzipped = objects.get(key);
    if (gzipped == null) {
      return null;
    }
    try (InputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A URL that serves {@code key} until {@code expires}, as an object store signs one. */
  public String signedUrl(String key, Instant expires) {
    long at = expires.getEpochSecond();
    return "https://127.0.0.1:"
        + server.getAddress().getPort()
        + "/bucket/"
        + key
        + "?X-Expires="
        + at
        + "&X-Signature="
        + signature(key, at);
  }

  /** The requests served so far, as {@code GET path} (without the query). */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private String signature(String key, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      requests.add(exchange.getRequestMethod() + " " + uri.getPath());
      String key = uri.getPath().replaceFirst("^/bucket/", "");
      Map<String, String> query = new java.util.HashMap<>();
      if (uri.getQuery() != null) {
        for (String pair : uri.getQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          query.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      }
      String expires = query.get("X-Expires");
      if (expires == null
          || !signature(key, Long.parseLong(expires)).equals(query.get("X-Signature"))) {
        answer(exchange, 403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
        return;
      }
      if (clock.instant().isAfter(Instant.ofEpochSecond(Long.parseLong(expires)))) {
        answer(
            exchange,
            403,
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
        return;
      }
      byte[] object = objects.get(key);
      if (object == null) {
        answer(
            exchange,
            404,
            "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "</Error>");
        return;
      }
      exchange.sendResponseHeaders(200, object.length);
      exchange.getResponseBody().write(object);
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
