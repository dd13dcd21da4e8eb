package io.intentbot.engine.model;

import io.intentbot.engine.config.ApprovalPolicy;
import java.util.List;

/**
 * What became of a {@link RunRequest}. Adapters switch over it:
 *
 * <pre>{@code
 * switch (engine.submit(request)) {
 *   case Submission.Invalid i -> reply(String.join("\n", i.errors()));
 *   case Submission.Refused r -> reply(text.refusal(r.reason()));
 *   case Submission.Planned p -> reply(p.plan().describe());
 *   case Submission.AwaitingApproval a -> postApprovalCard(a);
 *   case Submission.Started s -> postThreadHead(s.run());
 * }
 * }</pre>
 */
public sealed interface Submission {

  /** Nothing was recorded and nothing ran: the intent or its parameters are wrong. */
  record Invalid(List<InputProblem> problems) implements Submission {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** Each problem's sentence for people, in order. */
    public List<String> errors() {
      return problems.stream().map(InputProblem::message).toList();
    }
  }

  /** Valid, but policy, a held lock or a closing engine forbids it now; nothing ran. */
  record Refused(Refusal reason) implements Submission {

    /** The run holding the lock when that is the reason, else null. */
    public String lockHolder() {
      return reason instanceof Refusal.LockHeld held ? held.holder() : null;
    }
  }

  /**
   * A dry run: the plan, recorded, nothing changed. When the plan is not {@link Plan#complete()
   * complete} (a read failed while planning), the dry run is recorded failed and adapters say what
   * could not be read ({@link Plan#failedReads()}).
   */
  record Planned(RunRecord run, Plan plan) implements Submission {}

  /** Recorded and waiting for approvals. */
  record AwaitingApproval(RunRecord run, Plan plan, ApprovalPolicy policy) implements Submission {}

  /** Recorded and running in the background; follow it through a {@link RunListener}. */
  record Started(RunRecord run, Plan plan) implements Submission {}
}
