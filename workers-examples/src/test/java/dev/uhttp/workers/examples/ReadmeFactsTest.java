package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.examples.simple.SimpleDispatcher;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Facts README.md states about the project and the example, checked against what they are. */
class ReadmeFactsTest {

    @Test
    void theReferenceLinkGoesToTheWorkersLibraryNotTheServerLibrary() {
        String readme = ReadmeProject.readme();
        assertTrue(readme.contains("[uhttp-workers](https://github.com/pavelrevak/uhttp-workers)"),
                "the Python reference is github.com/pavelrevak/uhttp-workers");
        assertFalse(readme.contains("https://github.com/pavelrevak/uhttp)"),
                "github.com/pavelrevak/uhttp is the server library, not the reference");
    }

    @Test
    void theExamplesRootIsDescribedAsTheRedirectItIs() {
        String readme = ReadmeProject.readme().replaceAll("\\s+", " ");
        assertFalse(readme.contains("answers `/`"), "GET / is a redirect, not an answer");
        assertTrue(readme.contains("redirects `/` to `" + SimpleDispatcher.INDEX + "`"),
                "README says where / redirects (SimpleDispatcher.INDEX)");
    }

    @Test
    void theReadmeListsBesideTheTestCommandEveryPackageCiInstalls() {
        String ci = ReadmeProject.read(ReadmeProject.root().resolve(".ci/run"));
        Matcher tools = Pattern.compile("(?m)^tools=\"([^\"]*)\"").matcher(ci);
        assertTrue(tools.find(), ".ci/run lists its tools as tools=\"program=package ...\"");
        String top = ReadmeProject.readme().split("\n## ", 2)[0];
        for (String tool : tools.group(1).split(" ")) {
            String debianPackage = tool.substring(tool.indexOf('=') + 1);
            assertTrue(top.contains("`" + debianPackage + "`"),
                    () -> "README's first section lists the Debian package " + debianPackage);
        }
        assertTrue(top.contains("-Dskip.tools="), "how a run does without a tool");
    }

    @Test
    void theFirstCommandInstallsTheArtifactsYourOwnProjectBuildsAgainst() {
        String first = ReadmeProject.blocks().get(0).split("\n")[0];
        assertTrue(first.startsWith("mvn -q -DskipTests install && "), "README's first command installs: " + first);
        String readme = ReadmeProject.readme();
        String section = readme.substring(readme.indexOf("## Your own project"));
        String opening = section.substring(0, section.indexOf("\n\n", section.indexOf("\n\n") + 2));
        assertTrue(opening.contains("`mvn -q -DskipTests install`"), "the section says at its top what installs them:\n" + opening);
    }

    @Test
    void releasingSaysTheVersionSchemeAndTheSteps() {
        String readme = ReadmeProject.readme();
        int at = readme.indexOf("\n## Releasing\n");
        assertTrue(at >= 0, "README has a Releasing section");
        String releasing = readme.substring(at, readme.indexOf("\n## ", at + 5));
        for (String step : List.of("Semantic Versioning", "-Prelease", "versions:set", "central-publishing-maven-plugin",
                "maven-gpg-plugin", "ReleaseArtifactsIT")) {
            assertTrue(releasing.contains(step), "Releasing mentions " + step);
        }
    }
}
