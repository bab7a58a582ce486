package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.examples.simple.SimpleDispatcher;
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
}
