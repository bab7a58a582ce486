package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** README.md's user project is the one ReadmeProjectIT builds: every file verbatim, the documented commands. */
class ReadmeProjectTest {

    @Test
    void everyFileOfTheUserProjectStandsVerbatimInTheReadme() {
        List<String> blocks = ReadmeProject.blocks();
        for (String file : ReadmeProject.FILES) {
            String content = ReadmeProject.read(ReadmeProject.sources().resolve(file));
            assertTrue(blocks.contains(content), () -> "README.md must show " + file + " verbatim in a code block:\n" + content);
        }
    }

    @Test
    void theReadmeDocumentsTheImageItsEntryPointAndTheMissingProviderMessage() {
        String jlink = ReadmeProject.jlinkCommand();
        assertTrue(jlink.startsWith("jlink --module-path target/app-1.0.jar:target/lib "), jlink);
        assertTrue(jlink.contains("--add-modules app,uhttp.workers.ipc.unixsocket "), jlink);
        assertTrue(jlink.endsWith("--output target/image"), jlink);
        assertEquals(List.of("/x/bin/java", "-m", "app/app.Main"), ReadmeProject.entryPoint(java.nio.file.Path.of("/x")));
        String readme = ReadmeProject.readme();
        assertTrue(readme.contains("target/image/bin/java -m app/app.Main"), "the entry point of the image");
        assertTrue(readme.contains("classDataArchives(null)"), "how to turn class data archives off");
        assertTrue(readme.contains("~/.cache/uhttp-workers/cds"), "where class data archives go");
    }
}
