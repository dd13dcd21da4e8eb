package io.intentbot.engine.process;

/**
 * How a program ended: its exit code and what it wrote, each stream kept up to the request's limit.
 *
 * @param pid the process id it ran as
 * @param exitCode its exit code; when {@code timedOut}, the code it had after it was stopped
 * @param timedOut whether it ran past the request's timeout and was stopped
 */
public record ProcessResult(
    long pid, int exitCode, boolean timedOut, OutputCapture stdout, OutputCapture stderr) {}
