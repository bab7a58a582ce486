package dev.uhttp.workers.testtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** A missing tool fails the test with one line naming the package, unless the run opts out: then it is skipped. */
class RequiredToolTest {
    @TempDir
    Path dir;

    @Test
    void aMissingToolFailsWithOneLineNamingTheDebianPackage() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> RequiredTool.require("no-such-tool", "no-such-package", List.of(dir), ""));
        assertEquals("no-such-tool is not installed: apt-get install no-such-package"
                + " (or run with -Dskip.tools=no-such-tool to skip the tests that need it)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aMissingToolTheRunOptsOutOfSkipsTheTestWithTheReason() {
        for (String skip : List.of("no-such-tool", "other, no-such-package", "all")) {
            TestAbortedException e = assertThrows(TestAbortedException.class,
                    () -> RequiredTool.require("no-such-tool", "no-such-package", List.of(dir), skip), skip);
            assertTrue(e.getMessage().contains("no-such-tool is not installed (Debian package no-such-package)"),
                    e.getMessage());
        }
        assertThrows(AssertionError.class,
                () -> RequiredTool.require("no-such-tool", "no-such-package", List.of(dir), "other-tool"),
                "opting out of another tool does not cover this one");
    }

    @Test
    void anInstalledToolIsFoundOnTheSearchPathAndRunsEvenWhenOptedOut() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = Files.createFile(bin.resolve("some-tool"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        assertEquals(tool, RequiredTool.require("some-tool", "some-package", List.of(other, bin), ""));
        assertEquals(tool, RequiredTool.require("some-tool", "some-package", List.of(other, bin), "all"));
    }

    @Test
    void asAnExtensionItDisablesTheClassWithTheReasonOrFailsItBeforeBeforeAllRuns() {
        RequiredTool missing = RequiredTool.of("uhttp-no-such-tool", "uhttp-no-such-package");
        AssertionError e = assertThrows(AssertionError.class, () -> missing.evaluateExecutionCondition(null));
        assertTrue(e.getMessage().startsWith("uhttp-no-such-tool is not installed: apt-get install uhttp-no-such-package"),
                e.getMessage());
        String before = System.getProperty(RequiredTool.SKIP_PROPERTY);
        System.setProperty(RequiredTool.SKIP_PROPERTY, "uhttp-no-such-package");
        try {
            ConditionEvaluationResult skipped = missing.evaluateExecutionCondition(null);
            assertTrue(skipped.isDisabled());
            assertTrue(skipped.getReason().orElseThrow().contains("skipped as -Dskip.tools=uhttp-no-such-package"),
                    skipped.getReason().orElseThrow());
        } finally {
            if (before == null) {
                System.clearProperty(RequiredTool.SKIP_PROPERTY);
            } else {
                System.setProperty(RequiredTool.SKIP_PROPERTY, before);
            }
        }
        assertFalse(RequiredTool.of("sh", "dash").evaluateExecutionCondition(null).isDisabled());
    }

    @Test
    void aToolOnTheRealSearchPathIsFound() {
        // The real lookup (PATH and the sbin directories) finds something every machine running this has.
        assertTrue(Files.isExecutable(RequiredTool.require("sh", "dash")));
    }
}
