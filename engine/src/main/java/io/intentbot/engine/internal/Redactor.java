package io.intentbot.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text: known secret values (secret parameters, secret environment variables,
 * datasource passwords) and strings shaped like tokens or passwords. Thread-safe; secrets can be
 * added while a run goes on.
 *
 * <p>A known value is masked with or without its surrounding whitespace, and so are its common
 * encodings: base64 (standard and URL-safe, at each of the three alignments it can have inside a
 * longer encoded text, so {@code base64("user:" + secret)} is caught too), hex (either case) and
 * URL encoding. Values shorter than {@value #MIN_SECRET_LENGTH} characters are not masked (they
 * would mask ordinary words); secret parameters that short are refused when bound.
 */
public final class Redactor {

  static final String MASK = "***";
  private static final int MIN_SECRET_LENGTH = 4;

  private static final List<Pattern> TOKENS =
      List.of(
          Pattern.compile("xox[abposr]-[A-Za-z0-9-]{10,}"),
          Pattern.compile("xapp-[A-Za-z0-9-]{10,}"),
          Pattern.compile("gh[pousr]_[A-Za-z0-9]{20,}"),
          Pattern.compile("github_pat_[A-Za-z0-9_]{20,}"),
          Pattern.compile("glpat-[A-Za-z0-9_-]{20,}"),
          Pattern.compile("AKIA[0-9A-Z]{16}"),
          Pattern.compile("sk-[A-Za-z0-9_-]{20,}"),
          Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
          Pattern.compile(
              "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"));

  /** {@code password=…}, {@code "token": "…"}, {@code Authorization: Bearer …}: keep the key. */
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)[\"']?\\s*[=:]\\s*[\"']?)([^\\s\"',;&]{3,})");

  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)([A-Za-z0-9._~+/=-]{8,})");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)([^@\\s/]+)(@)");

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private volatile List<String> longestFirst = List.of();

  public Redactor() {}

  public Redactor(Iterable<String> initial) {
    initial.forEach(this::addSecret);
  }

  public void addSecret(String value) {
    if (value == null) {
      return;
    }
    boolean added = false;
    for (String form : new SecretForms(value).all()) {
      if (form.length() >= MIN_SECRET_LENGTH) {
        added |= secrets.add(form);
      }
    }
    if (added) {
      synchronized (this) {
        List<String> sorted = new ArrayList<>(secrets);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(sorted);
      }
    }
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : longestFirst) {
      out = out.replace(secret, MASK);
    }
    for (Pattern token : TOKENS) {
      out = token.matcher(out).replaceAll(MASK);
    }
    out = replaceGroup(KEY_VALUE, out);
    out = replaceGroup(BEARER, out);
    out = URL_PASSWORD.matcher(out).replaceAll("$1" + MASK + "$3");
    return out;
  }

  /** Redacts every string in a JSON-like value. */
  public Object redactValue(Object value) {
    if (value instanceof String text) {
      return redact(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), redactValue(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(redactValue(v)));
      return out;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> redactMap(Map<String, ?> map) {
    return (Map<String, Object>) redactValue(map);
  }

  private static String replaceGroup(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = matcher.group(2);
      String replacement = value.equals(MASK) ? matcher.group() : matcher.group(1) + MASK;
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
