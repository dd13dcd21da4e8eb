package io.intentbot.engine;

import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.config.ApprovalPolicy;
import java.util.List;

/**
 * What became of a {@link RunRequest}. Adapters switch over it:
 *
 * <pre>{@code
 * switch (engine.submit(request)) {
 *   case Submission.Invalid i -> reply(String.join("\n", i.errors()));
 *   case Submission.Refused r -> reply(r.reason());
 *   case Submission.Planned p -> reply(p.plan().describe());
 *   case Submission.AwaitingApproval a -> postApprovalCard(a);
 *   case Submission.Started s -> postThreadHead(s.run());
 * }
 * }</pre>
 */
public sealed interface Submission {

  /** Nothing was recorded and nothing ran: the intent or its parameters are wrong. */
  record Invalid(List<String> errors) implements Submission {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  /** Valid, but policy or a held lock forbids it now; nothing ran. */
  record Refused(String reason, String lockHolder) implements Submission {}

  /** A dry run: the plan, recorded, nothing changed. */
  record Planned(RunRecord run, Plan plan) implements Submission {}

  /** Recorded and waiting for approvals. */
  record AwaitingApproval(RunRecord run, Plan plan, ApprovalPolicy policy) implements Submission {}

  /** Recorded and running in the background; follow it through a {@link RunListener}. */
  record Started(RunRecord run, Plan plan) implements Submission {}
}
