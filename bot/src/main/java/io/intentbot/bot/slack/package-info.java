/**
 * The Slack adapter: {@link io.intentbot.bot.slack.SlackServer} (HTTP, {@code intentbot serve}) and
 * {@link io.intentbot.bot.slack.SocketModeRunner} ({@code intentbot socket}) over one {@link
 * io.intentbot.bot.slack.SlackBot}. What is posted goes through the {@link
 * io.intentbot.bot.slack.OutboxStore} in the audit database and is delivered by the {@link
 * io.intentbot.bot.slack.SlackPoster}, so runs never wait on Slack.
 */
package io.intentbot.bot.slack;
