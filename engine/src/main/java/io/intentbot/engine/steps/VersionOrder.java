package io.intentbot.engine.steps;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders tag names as versions: {@code 1.9.0 < 1.10.0}, {@code 1.0.0-rc.1 < 1.0.0} (semantic
 * versioning precedence), an optional {@code v} prefix ignored. Names that are not versions sort
 * first, alphabetically.
 */
final class VersionOrder implements Comparator<String> {

  static final VersionOrder INSTANCE = new VersionOrder();

  private static final Pattern VERSION =
      Pattern.compile("[vV]?(\\d+(?:\\.\\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

  private VersionOrder() {}

  static boolean isVersion(String name) {
    return VERSION.matcher(name).matches();
  }

  @Override
  public int compare(String a, String b) {
    Optional<Matcher> va = parse(a);
    Optional<Matcher> vb = parse(b);
    if (va.isEmpty() || vb.isEmpty()) {
      return va.isPresent() ? 1 : vb.isPresent() ? -1 : a.compareTo(b);
    }
    int byCore = compareDotted(va.get().group(1), vb.get().group(1));
    if (byCore != 0) {
      return byCore;
    }
    int byPre = comparePrerelease(va.get().group(2), vb.get().group(2));
    return byPre != 0 ? byPre : a.compareTo(b);
  }

  private static Optional<Matcher> parse(String name) {
    Matcher matcher = VERSION.matcher(name);
    return matcher.matches() ? Optional.of(matcher) : Optional.empty();
  }

  private static int compareDotted(String a, String b) {
    String[] pa = a.split("\\.");
    String[] pb = b.split("\\.");
    for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
      int c = compareNumbers(i < pa.length ? pa[i] : "0", i < pb.length ? pb[i] : "0");
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A release ranks above its pre-releases; identifiers compare as semver says. */
  private static int comparePrerelease(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    String[] pa = a.split("\\.");
    String[] pb = b.split("\\.");
    for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
      boolean na = pa[i].matches("\\d+");
      boolean nb = pb[i].matches("\\d+");
      int c =
          na && nb
              ? compareNumbers(pa[i], pb[i])
              : na != nb ? (na ? -1 : 1) : pa[i].compareTo(pb[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pa.length, pb.length);
  }

  private static int compareNumbers(String a, String b) {
    String ta = a.replaceFirst("^0+(?=\\d)", "");
    String tb = b.replaceFirst("^0+(?=\\d)", "");
    return ta.length() != tb.length()
        ? Integer.compare(ta.length(), tb.length())
        : ta.compareTo(tb);
  }
}
