package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStepTypeTest {

  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");

  @TempDir Path dir;

  private final GitStepType git = new GitStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();
  private Path work;
  private Git repo;

  @BeforeEach
  void setUp() throws Exception {
    work = dir.resolve("work");
    repo = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
  }

  @AfterEach
  void tearDown() {
    repo.close();
  }

  private RevCommit commit(String file, String content, String message) throws Exception {
    Files.writeString(work.resolve(file), content);
    repo.add().addFilepattern(file).call();
    return repo.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
  }

  private StepResult run(String action, Map<String, Object> more) throws Exception {
    Map<String, Object> with = new HashMap<>(more);
    with.put("repo", work.toString());
    with.put("action", action);
    return git.execute(StepInput.of(with), context);
  }

  private StepResult run(String action) throws Exception {
    return run(action, Map.of());
  }

  @Test
  void aCommittedTreeIsClean() throws Exception {
    commit("app.yaml", "replicas: 2\n", "Add app");

    StepResult result = run("clean");

    assertThat(result.success()).isTrue();
    assertThat(result.outputs()).containsEntry("clean", true).containsEntry("changes", List.of());
  }

  @Test
  void uncommittedAndUntrackedChangesAreListed() throws Exception {
    commit("app.yaml", "replicas: 2\n", "Add app");
    commit("old.txt", "old\n", "Add old");
    Files.writeString(work.resolve("app.yaml"), "replicas: 3\n");
    Files.writeString(work.resolve("notes.txt"), "todo\n");
    Files.delete(work.resolve("old.txt"));
    Files.writeString(work.resolve("staged.txt"), "x\n");
    repo.add().addFilepattern("staged.txt").call();

    StepResult result = run("clean");

    assertThat(result.failed()).isTrue();
    List<String> changes =
        List.of(
            "modified: app.yaml", "untracked: notes.txt", "deleted: old.txt", "added: staged.txt");
    assertThat(result.outputs()).containsEntry("clean", false).containsEntry("changes", changes);
    assertThat(result.reason())
        .isEqualTo("working tree of " + work + " is not clean: " + String.join(", ", changes));
  }

  @Test
  void ignoredFilesDoNotMakeTheTreeDirty() throws Exception {
    commit(".gitignore", "build/\n", "Ignore build");
    Files.createDirectories(work.resolve("build"));
    Files.writeString(work.resolve("build/out.jar"), "binary");

    assertThat(run("clean").success()).isTrue();
  }

  @Test
  void commitGivesShaBranchAndMessage() throws Exception {
    RevCommit head = commit("app.yaml", "replicas: 2\n", "Scale web\n\nbecause of load");

    StepResult result = run("commit");

    assertThat(result.outputs())
        .containsEntry("commit", head.getName())
        .containsEntry("short", head.getName().substring(0, 7))
        .containsEntry("branch", "main")
        .containsEntry("message", "Scale web");
    assertThat(context.lines())
        .containsExactly("main at " + head.getName().substring(0, 7) + ": Scale web");
  }

  @Test
  void aDetachedHeadHasBranchHead() throws Exception {
    RevCommit first = commit("a.txt", "1", "First");
    commit("a.txt", "2", "Second");
    repo.checkout().setName(first.getName()).call();

    assertThat(run("commit").outputs())
        .containsEntry("branch", "HEAD")
        .containsEntry("commit", first.getName());
  }

  @Test
  void anEmptyRepositoryHasNoCommit() throws Exception {
    assertThat(run("commit").reason()).isEqualTo("repository " + work + " has no commits yet");
  }

  @Test
  void aSubfolderFindsItsRepository() throws Exception {
    RevCommit head = commit("a.txt", "1", "First");
    Path sub = Files.createDirectories(work.resolve("deploy/k8s"));

    StepResult result =
        git.execute(StepInput.of(Map.of("repo", sub.toString(), "action", "commit")), context);

    assertThat(result.outputs()).containsEntry("commit", head.getName());
  }

  @Test
  void aFolderOutsideAnyRepositoryIsAClearFailure() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));

    StepResult result =
        git.execute(StepInput.of(Map.of("repo", plain.toString(), "action", "clean")), context);

    assertThat(result.reason()).isEqualTo("'" + plain + "' is not inside a git repository");
  }

  @Test
  void tagsAreOrderedAsVersions() throws Exception {
    commit("a.txt", "1", "First");
    for (String tag :
        List.of("v1.9.0", "v1.10.0", "v1.2.3", "v1.10.0-rc.1", "v1.10.0-rc.2", "nightly", "v0.9")) {
      if (tag.startsWith("v1.1")) {
        repo.tag().setName(tag).setAnnotated(true).setTagger(AUTHOR).setMessage(tag).call();
      } else {
        repo.tag().setName(tag).setAnnotated(false).call();
      }
    }

    StepResult result = run("tags");

    assertThat(result.outputs())
        .containsEntry(
            "tags",
            List.of(
                "nightly", "v0.9", "v1.2.3", "v1.9.0", "v1.10.0-rc.1", "v1.10.0-rc.2", "v1.10.0"))
        .containsEntry("latest", "v1.10.0")
        .containsEntry("count", 7);
    assertThat(context.lines()).containsExactly("7 tags; latest: v1.10.0");
  }

  @Test
  void aPrefixSelectsOneAppsTags() throws Exception {
    commit("a.txt", "1", "First");
    for (String tag : List.of("web/1.2.0", "api/3.0.0", "web/1.10.0", "web/1.9.9")) {
      repo.tag().setName(tag).call();
    }

    StepResult result = run("tags", Map.of("prefix", "web/"));

    assertThat(result.outputs())
        .containsEntry("tags", List.of("web/1.2.0", "web/1.9.9", "web/1.10.0"))
        .containsEntry("latest", "web/1.10.0");
  }

  @Test
  void noTagsGiveAnEmptyLatest() throws Exception {
    commit("a.txt", "1", "First");

    assertThat(run("tags").outputs()).containsEntry("tags", List.of()).containsEntry("latest", "");
  }

  @Test
  void tagExistsTellsWhetherATagIsThere() throws Exception {
    RevCommit tagged = commit("a.txt", "1", "First");
    repo.tag().setName("v1.0.0").setAnnotated(true).setTagger(AUTHOR).setMessage("release").call();
    commit("a.txt", "2", "Second");

    StepResult present = run("tag-exists", Map.of("tag", "v1.0.0"));
    StepResult missing = run("tag-exists", Map.of("tag", "v2.0.0"));

    assertThat(present.outputs())
        .containsEntry("exists", true)
        .containsEntry("commit", tagged.getName());
    assertThat(missing.success()).isTrue();
    assertThat(missing.outputs()).containsEntry("exists", false);
  }

  @Test
  void aRequiredMissingTagFailsTheStep() throws Exception {
    commit("a.txt", "1", "First");

    StepResult result = run("tag-exists", Map.of("tag", "v2.0.0", "require", true));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("tag 'v2.0.0' does not exist in " + work);
  }

  @Test
  void pushedComparesHeadWithTheUpstream() throws Exception {
    Path origin = dir.resolve("origin.git");
    Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call().close();
    commit("a.txt", "1", "First");
    repo.remoteAdd()
        .setName("origin")
        .setUri(new org.eclipse.jgit.transport.URIish(origin.toUri().toString()))
        .call();
    repo.push().setRemote("origin").add("main").call();

    StepResult pushed = run("pushed");

    assertThat(pushed.success()).as(pushed.reason()).isTrue();
    assertThat(pushed.outputs())
        .containsEntry("pushed", true)
        .containsEntry("branch", "main")
        .containsEntry("upstream", "origin/main")
        .containsEntry("ahead", 0);

    RevCommit local = commit("a.txt", "2", "Second");
    commit("a.txt", "3", "Third");
    StepResult notPushed = run("pushed");

    assertThat(notPushed.failed()).isTrue();
    assertThat(notPushed.outputs()).containsEntry("pushed", false).containsEntry("ahead", 2);
    assertThat(notPushed.reason())
        .isNotNull()
        .doesNotContain(local.getName())
        .matches("HEAD of 'main' \\([0-9a-f]{7}\\) is not pushed: 2 commits not in origin/main");
  }

  @Test
  void aBranchNeverPushedIsNotPushed() throws Exception {
    commit("a.txt", "1", "First");

    StepResult result = run("pushed");

    assertThat(result.reason())
        .isEqualTo(
            "branch 'main' has no remote-tracking branch origin/main: it was never pushed to origin");
    assertThat(result.outputs()).containsEntry("pushed", false);
  }

  @Test
  void planReadsNothing() {
    StepPlan plan =
        git.plan(
            StepInput.of(
                Map.of("repo", "/srv/app", "action", "tag-exists", "tag", "v1", "require", true)),
            context);

    assertThat(plan.summary()).isEqualTo("would check that tag 'v1' exists in /srv/app (required)");
  }
}
