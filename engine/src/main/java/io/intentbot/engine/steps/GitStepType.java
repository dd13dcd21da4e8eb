package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * {@code type: git}: read-only checks of a local repository, with JGit (no {@code git} binary).
 *
 * <pre>
 * - id: tree
 *   type: git
 *   with:
 *     repo: .            # any folder inside the repository, relative to the bot's working directory
 *     action: clean      # clean | commit | tags | tag-exists | pushed
 * </pre>
 *
 * <ul>
 *   <li>{@code clean}: fails when there are uncommitted or untracked changes, listing them. Outputs
 *       {@code clean}, {@code changes} (e.g. {@code "modified: app.yaml"}).
 *   <li>{@code commit}: outputs {@code commit} (full sha), {@code short} (7 characters), {@code
 *       branch} ({@code HEAD} when detached) and {@code message} (first line).
 *   <li>{@code tags}: outputs {@code tags} (ordered as versions: 1.9.0 before 1.10.0, a release
 *       after its pre-releases, other names first), {@code latest} (the highest version tag, "" if
 *       none) and {@code count}. With {@code prefix: web/} only tags starting with it count.
 *   <li>{@code tag-exists} with {@code tag}: outputs {@code exists} and {@code commit} (the tagged
 *       commit, "" when missing); fails on a missing tag when {@code require: true}.
 *   <li>{@code pushed}: whether HEAD is contained in the branch's remote-tracking branch on {@code
 *       remote} (default {@code origin}; the configured upstream when it is on that remote). It
 *       compares with what was last fetched or pushed; it does not fetch. Outputs {@code pushed},
 *       {@code branch}, {@code upstream}, {@code ahead} (commits not in the upstream); fails when
 *       HEAD is not pushed.
 * </ul>
 */
public final class GitStepType extends TypedStepType<GitStepType.Check> {

  public static final String NAME = "git";
  private static final int LISTED_CHANGES = 20;

  public GitStepType() {
    super(
        NAME,
        "Check a git repository: clean working tree, current commit, tags, tag exists, HEAD"
            + " pushed",
        Check.class);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "clean",
            "changes",
            "commit",
            "short",
            "branch",
            "message",
            "tags",
            "latest",
            "count",
            "exists",
            "upstream",
            "pushed",
            "ahead"));
  }

  @Override
  protected StepPlan plan(Check check, StepContext context) {
    String repo = check.folder().toString();
    return StepPlan.of(
        switch (check.action()) {
          case "clean" -> "would check that the working tree of " + repo + " is clean";
          case "commit" -> "would read the current commit of " + repo;
          case "tags" ->
              "would list the tags of "
                  + repo
                  + (check.prefix().isEmpty() ? "" : " starting with '" + check.prefix() + "'");
          case "tag-exists" ->
              "would check that tag '"
                  + check.tag()
                  + "' exists in "
                  + repo
                  + (check.require() ? " (required)" : "");
          default -> "would check that HEAD of " + repo + " is pushed to " + check.remote();
        });
  }

  @Override
  protected StepResult execute(Check check, StepContext context) {
    if (Thread.currentThread().isInterrupted()) {
      return Cancellation.cancelled(null);
    }
    try (Repository repository = open(check.folder())) {
      Report report =
          switch (check.action()) {
            case "clean" -> clean(repository);
            case "commit" -> commit(repository);
            case "tags" -> tags(repository, check.prefix());
            case "tag-exists" -> tagExists(repository, check.tag(), check.require());
            default -> pushed(repository, check.remote());
          };
      report.lines().forEach(context.output()::line);
      return report.result();
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    } catch (IOException | GitAPIException e) {
      return StepResult.failed(
          "git " + check.action() + " in " + check.folder() + ": " + e.getMessage());
    }
  }

  private static Repository open(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("repo folder '" + folder + "' does not exist");
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(folder.toFile());
    if (builder.getGitDir() == null) {
      throw new IllegalArgumentException("'" + folder + "' is not inside a git repository");
    }
    return builder.setMustExist(true).build();
  }

  private static Report clean(Repository repository) throws GitAPIException {
    Status status = Git.wrap(repository).status().call();
    Map<String, String> byPath = new TreeMap<>();
    status.getUntracked().forEach(p -> byPath.put(p, "untracked"));
    status.getAdded().forEach(p -> byPath.put(p, "added"));
    status.getChanged().forEach(p -> byPath.put(p, "modified"));
    status.getModified().forEach(p -> byPath.put(p, "modified"));
    status.getRemoved().forEach(p -> byPath.put(p, "deleted"));
    status.getMissing().forEach(p -> byPath.put(p, "deleted"));
    status.getConflicting().forEach(p -> byPath.put(p, "conflict"));
    List<String> changes = new ArrayList<>();
    byPath.forEach((path, kind) -> changes.add(kind + ": " + path));
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("clean", changes.isEmpty());
    outputs.put("changes", changes);
    String where = repository.getWorkTree().toString();
    if (changes.isEmpty()) {
      return new Report(
          List.of("working tree of " + where + " is clean"), StepResult.succeeded(outputs));
    }
    List<String> listed = changes.subList(0, Math.min(LISTED_CHANGES, changes.size()));
    String more =
        changes.size() > listed.size() ? " and " + (changes.size() - listed.size()) + " more" : "";
    return new Report(
        changes,
        StepResult.failed(
            "working tree of " + where + " is not clean: " + String.join(", ", listed) + more,
            outputs));
  }

  private static Report commit(Repository repository) throws IOException {
    ObjectId head = repository.resolve(Constants.HEAD);
    if (head == null) {
      throw new IllegalArgumentException(
          "repository " + repository.getWorkTree() + " has no commits yet");
    }
    try (RevWalk walk = new RevWalk(repository);
        ObjectReader reader = repository.newObjectReader()) {
      RevCommit commit = walk.parseCommit(head);
      String branch = currentBranch(repository);
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("commit", commit.getName());
      outputs.put("short", reader.abbreviate(commit, 7).name());
      outputs.put("branch", branch == null ? "HEAD" : branch);
      outputs.put("message", commit.getShortMessage());
      String line =
          (branch == null ? "HEAD (detached)" : branch)
              + " at "
              + outputs.get("short")
              + ": "
              + commit.getShortMessage();
      return new Report(List.of(line), StepResult.succeeded(outputs));
    }
  }

  private static Report tags(Repository repository, String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + prefix)) {
      names.add(ref.getName().substring(Constants.R_TAGS.length()));
    }
    names.sort(
        (a, b) ->
            VersionOrder.INSTANCE.compare(
                a.substring(prefix.length()), b.substring(prefix.length())));
    String latest = "";
    for (String name : names) {
      if (VersionOrder.isVersion(name.substring(prefix.length()))) {
        latest = name;
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("tags", names);
    outputs.put("latest", latest);
    outputs.put("count", names.size());
    String line =
        names.size()
            + (names.size() == 1 ? " tag" : " tags")
            + (latest.isEmpty() ? "" : "; latest: " + latest);
    return new Report(List.of(line), StepResult.succeeded(outputs));
  }

  private static Report tagExists(Repository repository, String tag, boolean require)
      throws IOException {
    Ref ref = repository.exactRef(Constants.R_TAGS + tag);
    String commit = "";
    if (ref != null) {
      Ref peeled = repository.getRefDatabase().peel(ref);
      ObjectId id =
          peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
      commit = id.getName();
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("exists", ref != null);
    outputs.put("commit", commit);
    String where = repository.getWorkTree().toString();
    if (ref != null) {
      return new Report(
          List.of("tag '" + tag + "' exists: " + commit), StepResult.succeeded(outputs));
    }
    String missing = "tag '" + tag + "' does not exist in " + where;
    return new Report(
        List.of(missing),
        require ? StepResult.failed(missing, outputs) : StepResult.succeeded(outputs));
  }

  private static Report pushed(Repository repository, String remote) throws IOException {
    String branch = currentBranch(repository);
    if (branch == null) {
      throw new IllegalArgumentException("HEAD is detached; 'pushed' needs a checked-out branch");
    }
    ObjectId head = repository.resolve(Constants.HEAD);
    if (head == null) {
      throw new IllegalArgumentException("branch '" + branch + "' has no commits yet");
    }
    BranchConfig branchConfig = new BranchConfig(repository.getConfig(), branch);
    String tracking = branchConfig.getRemoteTrackingBranch();
    String upstreamRef =
        tracking != null && remote.equals(branchConfig.getRemote())
            ? tracking
            : Constants.R_REMOTES + remote + "/" + branch;
    String upstream = Repository.shortenRefName(upstreamRef);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("branch", branch);
    outputs.put("upstream", upstream);
    Ref upstreamHead = repository.exactRef(upstreamRef);
    if (upstreamHead == null) {
      outputs.put("pushed", false);
      outputs.put("ahead", -1);
      String reason =
          "branch '"
              + branch
              + "' has no remote-tracking branch "
              + upstream
              + ": it was never pushed to "
              + remote;
      return new Report(List.of(reason), StepResult.failed(reason, outputs));
    }
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit headCommit = walk.parseCommit(head);
      RevCommit upstreamCommit = walk.parseCommit(upstreamHead.getObjectId());
      boolean contained = walk.isMergedInto(headCommit, upstreamCommit);
      walk.reset();
      walk.markStart(headCommit);
      walk.markUninteresting(upstreamCommit);
      int ahead = 0;
      for (RevCommit ignored : walk) {
        ahead++;
      }
      outputs.put("pushed", contained);
      outputs.put("ahead", ahead);
      String shortHead = headCommit.abbreviate(7).name();
      if (contained) {
        return new Report(
            List.of("HEAD of '" + branch + "' (" + shortHead + ") is in " + upstream),
            StepResult.succeeded(outputs));
      }
      String reason =
          "HEAD of '"
              + branch
              + "' ("
              + shortHead
              + ") is not pushed: "
              + ahead
              + (ahead == 1 ? " commit" : " commits")
              + " not in "
              + upstream;
      return new Report(List.of(reason), StepResult.failed(reason, outputs));
    }
  }

  /** The checked-out branch's short name, or null when HEAD is detached. */
  private static String currentBranch(Repository repository) throws IOException {
    String full = repository.getFullBranch();
    return full != null && full.startsWith(Constants.R_HEADS)
        ? Repository.shortenRefName(full)
        : null;
  }

  /** Lines to write and the result. */
  private record Report(List<String> lines, StepResult result) {}

  /** The {@code with:} block. */
  record Check(
      String repo, String action, String tag, boolean require, String prefix, String remote) {

    private static final List<String> ACTIONS =
        List.of("clean", "commit", "tags", "tag-exists", "pushed");

    Check {
      action = action == null ? null : action.trim().toLowerCase(Locale.ROOT);
      if (action != null && !ACTIONS.contains(action)) {
        throw new IllegalArgumentException(
            "'action' must be one of " + String.join(", ", ACTIONS) + ", got '" + action + "'");
      }
      tag = tag == null ? "" : tag.trim();
      if ("tag-exists".equals(action) && tag.isEmpty()) {
        throw new IllegalArgumentException("'tag' is required for action tag-exists");
      }
      repo = repo == null ? "." : repo;
      prefix = prefix == null ? "" : prefix;
      remote = remote == null ? "origin" : remote.trim();
    }

    Path folder() {
      return Path.of(repo).toAbsolutePath().normalize();
    }
  }
}
