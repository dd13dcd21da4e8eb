package io.intentbot.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.StepRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash of one entry of the chain: SHA-256 over the previous entry's hash and a canonical JSON
 * form of the entry. For a run: the run row, its steps and its approvals; for another entry ({@link
 * ChainEntry}: an approval, an acknowledgement, an access log entry): its row. The canonical form
 * sorts every object's keys, writes timestamps as epoch milliseconds and keeps nulls, so it is the
 * same whichever database the values were read back from.
 */
final class ChainHasher {

  /** The {@code prev_hash} of the first sealed run. */
  static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ChainHasher() {}

  static String hash(String prevHash, SealedRun sealed) {
    return hash(prevHash, canonical(sealed));
  }

  /**
   * The hash of an entry that is not a run: the previous hash and the canonical JSON of its seq,
   * seal time, kind and stored row.
   */
  static String hash(
      String prevHash, long seq, Instant sealedAt, ChainEntry entry, Map<String, Object> row) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("seq", seq);
    record.put("sealed_at", millis(sealedAt));
    record.put("kind", entry.kind().column);
    record.put("row", row);
    try {
      return hash(prevHash, CANONICAL.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      throw new AuditStoreException("audit store: cannot serialise " + entry.describe(), e);
    }
  }

  private static String hash(String prevHash, String canonical) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String canonical(SealedRun sealed) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("seq", sealed.seq());
    record.put("sealed_at", millis(sealed.sealedAt()));
    record.put("run", run(sealed.run()));
    List<Object> steps = new ArrayList<>();
    sealed.steps().forEach(step -> steps.add(step(step)));
    record.put("steps", steps);
    List<Object> approvals = new ArrayList<>();
    sealed.approvals().forEach(approval -> approvals.add(approval(approval)));
    record.put("approvals", approvals);
    try {
      return CANONICAL.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new AuditStoreException("audit store: cannot serialise run " + sealed.run().id(), e);
    }
  }

  private static Map<String, Object> run(RunRecord run) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", run.id());
    fields.put("intent", run.intent());
    fields.put("parameters", run.parameters());
    fields.put("requester", run.requester());
    fields.put("environment", run.environment());
    fields.put("app", run.app());
    fields.put("status", run.status().label());
    fields.put("dry_run", run.dryRun());
    fields.put("plan_hash", run.planHash());
    fields.put("lock_key", run.lockKey());
    fields.put("created_at", millis(run.createdAt()));
    fields.put("started_at", millis(run.startedAt()));
    fields.put("finished_at", millis(run.finishedAt()));
    fields.put("outputs", run.outputs());
    fields.put("reason", run.reason());
    fields.put("origin", run.origin());
    return fields;
  }

  private static Map<String, Object> step(SealedRun.StoredStep stored) {
    StepRecord step = stored.step();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("index", step.index());
    fields.put("step_id", step.stepId());
    fields.put("phase", step.phase());
    fields.put("type", step.type());
    fields.put("status", step.status().label());
    fields.put("started_at", millis(step.startedAt()));
    fields.put("finished_at", millis(step.finishedAt()));
    fields.put("duration_ms", stored.durationMillis());
    fields.put("attempts", step.attempts());
    fields.put("outputs", step.outputs());
    fields.put("output_text", step.outputText());
    fields.put("reason", step.reason());
    return fields;
  }

  private static Map<String, Object> approval(ApprovalRecord approval) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("user", approval.user());
    fields.put("approved", approval.approved());
    fields.put("plan_hash", approval.planHash());
    fields.put("at", millis(approval.at()));
    fields.put("comment", approval.comment());
    return fields;
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
