/**
 * The audit store: runs, steps, approvals and locks, written at every transition, with a
 * tamper-evident hash chain over finished runs. {@link io.intentbot.engine.audit.AuditStore} is the
 * contract; {@link io.intentbot.engine.audit.AuditStores#open} connects to H2 or PostgreSQL,
 * migrates the schema ({@code db/audit}) and returns a {@link
 * io.intentbot.engine.audit.JdbcAuditStore}.
 *
 * <p>The chain: {@code seal(run)} gives a finished run the next {@code seq} and stores {@code
 * record_hash = SHA-256(prev_hash + "\n" + canonical JSON of the run row, its steps and approvals,
 * seq and seal time)}, where {@code prev_hash} is the hash of the run sealed before it (64 zeros
 * for the first). A one-row table, {@code chain_head}, holds the last seq and hash and is locked by
 * every seal, so the chain never forks. {@code verify()} recomputes it and names every run edited,
 * every seq missing and every link rewritten.
 */
package io.intentbot.engine.audit;
