/**
 * {@code intentbot console}: a local chat over standard input and output, see {@link
 * io.intentbot.bot.console.ConsoleSession}.
 */
package io.intentbot.bot.console;
