/**
 * The audit store: runs, steps, approvals and locks, written at every transition, with a
 * tamper-evident hash chain over finished runs. {@link io.intentbot.engine.audit.AuditStore} is the
 * contract; {@code JdbcAuditStore} implements it on H2 and PostgreSQL.
 */
package io.intentbot.engine.audit;
