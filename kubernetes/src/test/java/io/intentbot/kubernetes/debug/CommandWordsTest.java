package io.intentbot.kubernetes.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {

  @Test
  void splitsOnWhitespaceLikeAShell() {
    assertThat(CommandWords.split("  ls   -l\t/data ")).containsExactly("ls", "-l", "/data");
  }

  @Test
  void quotesGroupWordsAndAreRemoved() {
    assertThat(CommandWords.split("cat '/data/my file' \"a b\"c"))
        .containsExactly("cat", "/data/my file", "a bc");
    assertThat(CommandWords.split("echo ''")).containsExactly("echo", "");
  }

  @Test
  void nothingIsExpanded() {
    assertThat(CommandWords.split("echo $HOME * | `id` 'it''s'"))
        .containsExactly("echo", "$HOME", "*", "|", "`id`", "its");
  }

  @Test
  void backslashEscapesOutsideSingleQuotes() {
    assertThat(CommandWords.split("echo a\\ b 'c\\d' \"e\\\"f\""))
        .containsExactly("echo", "a b", "c\\d", "e\"f");
  }

  @Test
  void badLinesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> CommandWords.split("cat 'open"))
        .hasMessage("the command has an unclosed single quote");
    assertThatThrownBy(() -> CommandWords.split("echo \"x"))
        .hasMessage("the command has an unclosed double quote");
    assertThatThrownBy(() -> CommandWords.split("   ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> CommandWords.split("ls \\")).hasMessageContaining("backslash");
  }
}
