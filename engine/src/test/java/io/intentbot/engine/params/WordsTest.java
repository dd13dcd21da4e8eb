package io.intentbot.engine.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.text.Words;
import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void splitsOnWhitespaceLikeAShell() {
    assertThat(Words.split("  ls   -l\t/data ")).containsExactly("ls", "-l", "/data");
    assertThat(Words.split("   ")).isEmpty();
  }

  @Test
  void quotesGroupWordsAndAreRemoved() {
    assertThat(Words.split("cat '/data/my file' \"a b\"c"))
        .containsExactly("cat", "/data/my file", "a bc");
    assertThat(Words.split("echo ''")).containsExactly("echo", "");
    assertThat(Words.split("say \"it's\"")).containsExactly("say", "it's");
  }

  @Test
  void curlyQuotesFromSlackCountAsStraightOnes() {
    assertThat(Words.split("cat \u2018/data/my file\u2019 note=\u201ca b\u201d"))
        .containsExactly("cat", "/data/my file", "note=a b");
  }

  @Test
  void nothingIsExpanded() {
    assertThat(Words.split("echo $HOME * | `id` 'it''s'"))
        .containsExactly("echo", "$HOME", "*", "|", "`id`", "its");
  }

  @Test
  void backslashEscapesTheNextCharacter() {
    assertThat(Words.split("echo a\\ b \"e\\\"f\" trailing\\"))
        .containsExactly("echo", "a b", "e\"f", "trailing\\");
  }

  @Test
  void anUnclosedQuoteIsRefusedWithTheText() {
    assertThatThrownBy(() -> Words.split("cat 'open")).hasMessage("unclosed quote ' in: cat 'open");
    assertThatThrownBy(() -> Words.split("echo \"x")).hasMessage("unclosed quote \" in: echo \"x");
  }
}
