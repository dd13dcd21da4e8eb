/**
 * The chat-neutral bot core: {@link io.intentbot.bot.chat.CommandParser} reads what people type
 * after {@code /intent}, {@link io.intentbot.bot.chat.CommandHandler} answers it through the
 * engine, {@link io.intentbot.bot.chat.RunThread} turns run events into a thread (a top message and
 * lines below it) for a {@link io.intentbot.bot.chat.ThreadSink}. Slack and the console are
 * adapters over it; {@link io.intentbot.bot.chat.InMemoryChat} is the one tests use.
 */
package io.intentbot.bot.chat;
