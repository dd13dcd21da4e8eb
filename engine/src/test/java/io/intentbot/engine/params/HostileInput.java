package io.intentbot.engine.params;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators of hostile text for property tests: shell, SQL and template injection, odd unicode.
 */
final class HostileInput {

  private HostileInput() {}

  static final List<String> FRAGMENTS =
      List.of(
          "; rm -rf /",
          "$(id)",
          "`id`",
          "| cat /etc/passwd",
          "&& curl evil",
          "' OR '1'='1",
          "\"; DROP TABLE runs; --",
          "${{ run.id }}",
          "${{ params.app + 'x' }}",
          "${jndi:ldap://x/a}",
          "${HOME}",
          "%s%n%x",
          "../../etc/passwd",
          "--dry-run",
          "--break-glass",
          "=",
          "==",
          "a=b",
          "\"",
          "'",
          "\\",
          "\u201cquoted\u201d",
          "\u2018single\u2019",
          "\t",
          " ",
          "\n",
          "\r\n",
          "\u0000",
          "\u001b[31m",
          "\u202eevil",
          "\u200b",
          "\ud83d\ude80",
          "\u00e9\u0301",
          "web",
          "sandbox",
          "production",
          "1.2.3",
          "17",
          "-1",
          "99999999999999999999",
          "true",
          "5m",
          "x".repeat(1100));

  /** Any text: arbitrary code units (lone surrogates and control characters included). */
  static Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.of(FRAGMENTS).list().ofMaxSize(6).map(l -> String.join("", l)),
        Arbitraries.strings().all().ofMinLength(1000).ofMaxLength(3000));
  }

  /** Text that a process argument can carry unchanged: well-formed unicode without NUL. */
  static Arbitrary<String> argumentText() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(200),
            Arbitraries.of(FRAGMENTS).list().ofMaxSize(6).map(l -> String.join("", l)))
        .filter(s -> s.indexOf('\u0000') < 0);
  }
}
