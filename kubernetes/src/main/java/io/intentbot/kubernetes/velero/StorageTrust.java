package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CA bundle a BackupStorageLocation names for TLS to its object storage, which the signed URLs
 * of its DownloadRequests point into: {@code spec.objectStorage.caCertRef} (a key of a Secret in
 * Velero's namespace, preferred as Velero 1.18 prefers it) or the deprecated inline {@code
 * spec.objectStorage.caCert}. Like {@code velero backup describe}, the bundle is trusted on top of
 * the system's CAs, not instead of them.
 *
 * @param pem the bundle in PEM, null when the location names none
 * @param source where it came from, for messages ({@code caCert of BackupStorageLocation default})
 * @param problem why the bundle named could not be read (the download is then tried without it, as
 *     Velero's CLI does), or null
 */
record StorageTrust(String pem, String source, String problem) {

  static final StorageTrust NONE = new StorageTrust(null, null, null);

  /** The trust of location {@code location}, read from the cluster; NONE when it names no CA. */
  static StorageTrust of(Cluster velero, String location) {
    if (location == null) {
      return NONE;
    }
    GenericKubernetesResource bsl = Velero.get(velero, Velero.STORAGE_LOCATIONS, location);
    if (bsl == null) {
      return NONE;
    }
    Object ref = bsl.get("spec", "objectStorage", "caCertRef");
    if (ref instanceof java.util.Map<?, ?> selector) {
      return fromSecret(velero, location, selector);
    }
    Object inline = bsl.get("spec", "objectStorage", "caCert");
    if (inline == null || String.valueOf(inline).isBlank()) {
      return NONE;
    }
    String source = "spec.objectStorage.caCert of BackupStorageLocation " + location;
    try {
      return new StorageTrust(decoded(String.valueOf(inline)), source, null);
    } catch (IllegalArgumentException e) {
      return new StorageTrust(null, source, source + " is not base64-encoded PEM");
    }
  }

  private static StorageTrust fromSecret(
      Cluster velero, String location, java.util.Map<?, ?> selector) {
    String name = String.valueOf(selector.get("name"));
    Object key = selector.get("key");
    String source =
        "key " + key + " of Secret " + velero.ref(name) + " (caCertRef of " + location + ")";
    try {
      Secret secret =
          velero.call(
              "read Secret " + velero.ref(name),
              c -> c.secrets().inNamespace(velero.namespace()).withName(name).get());
      if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
        return new StorageTrust(null, source, source + " does not exist");
      }
      return new StorageTrust(decoded(secret.getData().get(key)), source, null);
    } catch (ClusterAccessException e) {
      return new StorageTrust(
          null,
          source,
          "could not read "
              + source
              + ": "
              + e.getMessage()
              + " (grant intentbot get on that Secret, or put the CA inline in caCert)");
    }
  }

  private static String decoded(String base64) {
    return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** An SSL context trusting the system's CAs and this bundle's; null when there is no bundle. */
  SSLContext sslContext() {
    if (pem == null) {
      return null;
    }
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      if (certificates.isEmpty()) {
        throw new ClusterAccessException(source + " holds no certificate");
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate system : systemCas()) {
        anchors.setCertificateEntry("system-" + n++, system);
      }
      for (Certificate certificate : certificates) {
        anchors.setCertificateEntry("location-" + n++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ClusterAccessException(
          source + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] systemCas() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
