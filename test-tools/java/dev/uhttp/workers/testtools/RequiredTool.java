package dev.uhttp.workers.testtools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An external program a test runs (promtool, chromedriver, redis-server, ...). A test never skips in
 * silence because one is missing: it fails with one line naming the Debian package to install, unless
 * the run says it may do without that tool ({@code -Dskip.tools=chromedriver,promtool}, by program or
 * package name, or {@code all}); then the test is reported as skipped with that reason.
 *
 * <p>Inside a test, {@link #require} returns the program's path. For a whole class (whose
 * {@code @BeforeAll} already starts the program), register it as an extension, which decides before
 * {@code @BeforeAll} runs: a skip there is reported per test, where an abort in {@code @BeforeAll} would
 * be reported as "Tests run: 0".
 * <pre>{@code @RegisterExtension static final RequiredTool CHROMEDRIVER = RequiredTool.of("chromedriver", "chromium-driver");}</pre>
 *
 * <p>This one source file is compiled into the tests of every module that runs tools (build-helper's
 * {@code add-test-source}, named in those modules' POMs), so the rule has one copy.
 */
public final class RequiredTool implements ExecutionCondition {
    /** The system property listing the tools (program or Debian package names, or {@code all}) a run may lack. */
    public static final String SKIP_PROPERTY = "skip.tools";

    /** Besides {@code PATH}: where Debian puts daemons (nginx, haproxy) that a non-root PATH may lack. */
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private final String program;
    private final String debianPackage;

    private RequiredTool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    /** The extension for a test class that needs {@code program}, from the Debian package {@code debianPackage}. */
    public static RequiredTool of(String program, String debianPackage) {
        return new RequiredTool(program, debianPackage);
    }

    /** The program's path (call it once the class runs: a missing program has disabled or failed it). */
    public Path path() {
        return require(program, debianPackage);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> skipped = skipReason(program, debianPackage, searchPath(), skipList());
        return skipped.map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled(program + " is installed"));
    }

    /**
     * The path of {@code program}, found on {@code PATH} (and the sbin directories); when it is missing,
     * fails the test with one line naming {@code debianPackage}, or skips it when {@value #SKIP_PROPERTY}
     * names the program or the package.
     */
    public static Path require(String program, String debianPackage) {
        return require(program, debianPackage, searchPath(), skipList());
    }

    /** {@link #require(String, String)} with the directories and the opt-out list given (unit tests). */
    static Path require(String program, String debianPackage, List<Path> directories, String skipList) {
        skipReason(program, debianPackage, directories, skipList).ifPresent(Assumptions::abort);
        return find(program, directories).orElseThrow();
    }

    /**
     * Empty when the program is installed; the reason to skip when it is missing and the run opts out;
     * else throws the one-line failure.
     */
    static Optional<String> skipReason(String program, String debianPackage, List<Path> directories, String skipList) {
        if (find(program, directories).isPresent()) {
            return Optional.empty();
        }
        boolean optedOut = Arrays.stream(skipList.split(",")).map(String::strip)
                .anyMatch(name -> name.equals("all") || name.equals(program) || name.equals(debianPackage));
        if (!optedOut) {
            throw new AssertionError(program + " is not installed: apt-get install " + debianPackage
                    + " (or run with -D" + SKIP_PROPERTY + "=" + program + " to skip the tests that need it)");
        }
        return Optional.of(program + " is not installed (Debian package " + debianPackage + "); skipped as -D"
                + SKIP_PROPERTY + "=" + skipList + " allows");
    }

    private static Optional<Path> find(String program, List<Path> directories) {
        return directories.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst();
    }

    private static String skipList() {
        return System.getProperty(SKIP_PROPERTY, "");
    }

    private static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        SYSTEM_DIRS.forEach(d -> dirs.add(Path.of(d)));
        return dirs;
    }
}
