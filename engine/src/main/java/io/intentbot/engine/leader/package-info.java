/**
 * Which replica does the background duties: the {@link io.intentbot.engine.leader.Leadership}
 * contract and its database-lease implementation (the Kubernetes Lease election lives in the
 * kubernetes module).
 */
package io.intentbot.engine.leader;
