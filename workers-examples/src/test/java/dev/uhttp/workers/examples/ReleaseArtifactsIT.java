package dev.uhttp.workers.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uhttp.workers.testtools.RequiredTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Maven Central requires of a release, checked on what this build installed, deployed to a file
 * repository laid out as Central's. One Maven run (not offline: the deploy plugin refuses to run offline,
 * even to a {@code file:} URL; its plugins are in the local repository already) signs and deploys each
 * published module's jar, POM, {@code -sources} and {@code -javadoc} jars, and the parent POM, with
 * {@code maven-gpg-plugin:sign-and-deploy-file} at the version the root pom pins, with a throwaway key in
 * a temporary {@code GNUPGHOME}. Then every file has a matching {@code .md5} and {@code .sha1} and an
 * {@code .asc} gpg verifies; the jars are explicit modules with their sources and javadoc; the POMs carry
 * name, description, url, licenses, developers and scm (the parent's, from its {@code release.*}
 * properties); the release profile signs and publishes through the Central Portal's plugin. Nothing is
 * published. Needs gpg (Debian package gnupg).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseArtifactsIT {
    private static final String GROUP_PATH = "dev/uhttp/workers";
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    /** Modules that are built but not published. */
    private static final List<String> UNPUBLISHED = List.of("workers-examples");
    private static final String PARENT = "workers-parent";

    @RegisterExtension
    static final RequiredTool GPG = RequiredTool.of("gpg", "gnupg");

    private final Map<String, String> gpgEnvironment = new HashMap<>();
    private Path deployed;
    private String notInstalled;

    @BeforeAll
    void signAndDeployToAFileRepository(@TempDir Path tmp) throws Exception {
        StringBuilder executions = new StringBuilder();
        for (String artifactId : artifacts()) {
            Path installed = repository().resolve(GROUP_PATH).resolve(artifactId).resolve(Artifacts.version());
            String base = artifactId + "-" + Artifacts.version();
            if (!Files.isRegularFile(installed.resolve(base + ".pom"))) {
                notInstalled = installed + " is missing: the release check needs mvn install (README's test command), not only verify";
                return;
            }
            // The deploy plugin does not deploy files from inside the local repository: a copy.
            Path dir = Files.createDirectories(tmp.resolve("staging").resolve(artifactId));
            try (Stream<Path> files = Files.list(installed)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(base)).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Path pom = dir.resolve(base + ".pom");
            boolean jar = !artifactId.equals(PARENT);
            executions.append("<execution><id>").append(artifactId).append("</id><phase>validate</phase>")
                    .append("<goals><goal>sign-and-deploy-file</goal></goals><configuration>")
                    .append("<file>").append(jar ? dir.resolve(base + ".jar") : pom).append("</file>")
                    .append("<pomFile>").append(pom).append("</pomFile>");
            if (jar) {
                executions.append("<sources>").append(dir.resolve(base + "-sources.jar")).append("</sources>")
                        .append("<javadoc>").append(dir.resolve(base + "-javadoc.jar")).append("</javadoc>");
            }
            executions.append("</configuration></execution>");
        }
        Path home = Files.createDirectories(tmp.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        gpgEnvironment.put("GNUPGHOME", home.toString());
        String gpg = GPG.path().toString();
        run(tmp, 60, gpg, "--batch", "--passphrase", "", "--quick-gen-key",
                "uhttp-workers release check <release-check@example.invalid>", "ed25519", "sign", "1d");
        Matcher fpr = Pattern.compile("(?m)^fpr:+([0-9A-F]{40}):").matcher(
                run(tmp, 60, gpg, "--batch", "--with-colons", "--list-secret-keys"));
        assertTrue(fpr.find(), "the throwaway key's fingerprint");
        deployed = tmp.resolve("repository");
        Path project = Files.createDirectories(tmp.resolve("deployer"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>release-check</groupId><artifactId>deployer</artifactId><version>1</version>
                  <packaging>pom</packaging>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-gpg-plugin</artifactId><version>%s</version>
                    <configuration><keyname>%s</keyname><url>%s</url><repositoryId>release-check</repositoryId></configuration>
                    <executions>%s</executions>
                  </plugin></plugins></build>
                </project>
                """.formatted(pinnedVersion("maven-gpg-plugin"), fpr.group(1), deployed.toUri(), executions));
        run(project, 600, "mvn", "-B", "-ntp", "-q", "-Dmaven.repo.local=" + repository(), "validate");
    }

    @AfterAll
    void stopTheGpgAgent() throws Exception {
        if (!gpgEnvironment.isEmpty()) {
            ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            kill.environment().putAll(gpgEnvironment);
            kill.start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyPublishedModuleHasItsJarsAndPomWithChecksumsAndSignatures() throws Exception {
        List<String> published = publishedModules();
        assertTrue(published.size() >= 6, published.toString());
        for (String module : published) {
            Path dir = deployed(module);
            for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
                assertDeployedAndSigned(file(dir, module, suffix));
            }
            try (ZipFile jar = new ZipFile(file(dir, module, ".jar").toFile());
                    ZipFile sources = new ZipFile(file(dir, module, "-sources.jar").toFile());
                    ZipFile javadoc = new ZipFile(file(dir, module, "-javadoc.jar").toFile())) {
                assertTrue(jar.getEntry("module-info.class") != null, module + ": an explicit module");
                assertTrue(sources.getEntry("module-info.java") != null, module + ": its sources");
                assertTrue(javadoc.getEntry("index.html") != null, module + ": its javadoc");
            }
            String pom = Files.readString(file(dir, module, ".pom"));
            assertTrue(pom.contains("<artifactId>" + module + "</artifactId>"), module);
            assertTrue(text(pom, "name").length() > module.length(), module + ": <name>");
            assertFalse(text(pom, "description").isBlank(), module + ": <description>");
            assertTrue(pom.contains("<artifactId>" + PARENT + "</artifactId>"), module + ": inherits the project's metadata");
        }
        String spi = Files.readString(file(deployed("workers-ipc-spi"), "workers-ipc-spi", ".pom"));
        Matcher msgpack = Pattern.compile("(?s)<dependency>((?:(?!</dependency>).)*msgpack-core.*?)</dependency>").matcher(spi);
        while (msgpack.find()) {
            assertTrue(msgpack.group(1).contains("<scope>test</scope>"),
                    "msgpack-core is only the codec tests' reference, never a run-time dependency: " + msgpack.group());
        }
    }

    @Test
    void theParentPomCarriesTheMetadataCentralRequiresFromItsReleaseProperties() throws Exception {
        Path file = file(deployed(PARENT), PARENT, ".pom");
        assertDeployedAndSigned(file);
        String pom = Files.readString(file);
        Map<String, String> properties = properties(pom);
        String repository = properties.get("release.repository");
        assertTrue(repository != null && repository.matches("[\\w.-]+/[\\w.-]+"), "release.repository is owner/name");
        String home = "https://github.com/" + repository;
        assertEquals(home, resolve(text(pom, "url"), properties), "<url>");
        assertFalse(text(pom, "name").isBlank(), "<name>");
        assertFalse(text(pom, "description").isBlank(), "<description>");
        String license = section(pom, "licenses");
        assertEquals("Apache-2.0", text(license, "name"));
        assertTrue(text(license, "url").startsWith("https://"), "licence url");
        String developer = section(pom, "developers");
        assertFalse(resolve(text(developer, "name"), properties).isBlank(), "a developer's name");
        String scm = section(pom, "scm");
        assertEquals("scm:git:" + home + ".git", resolve(text(scm, "connection"), properties));
        assertEquals("scm:git:ssh://git@github.com/" + repository + ".git", resolve(text(scm, "developerConnection"), properties));
        assertEquals(home, resolve(text(scm, "url"), properties));
        String release = profile(pom, "release");
        assertTrue(release.contains("<artifactId>maven-gpg-plugin</artifactId>"), "the release profile signs");
        assertTrue(release.contains("<artifactId>central-publishing-maven-plugin</artifactId>")
                && release.contains("<extensions>true</extensions>")
                && release.contains("<publishingServerId>central</publishingServerId>")
                && release.contains("<artifact>workers-examples</artifact>"),
                "and publishes through the Portal's plugin, without the examples");
    }

    /** The modules of the root pom that are published. */
    private static List<String> publishedModules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(ReadmeProject.root().resolve("pom.xml")));
        while (m.find()) {
            if (!UNPUBLISHED.contains(m.group(1))) {
                modules.add(m.group(1));
            }
        }
        return modules;
    }

    /** The one deployed file of the artifact ending with {@code suffix} (snapshots carry a timestamp). */
    private static Path file(Path dir, String artifactId, String suffix) throws IOException {
        String base = Artifacts.version().replace("-SNAPSHOT", "");
        Pattern name = Pattern.compile(Pattern.quote(artifactId + "-" + base) + "(-SNAPSHOT|-\\d{8}\\.\\d{6}-\\d+)?"
                + Pattern.quote(suffix));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
            assertFalse(found.isEmpty(), () -> artifactId + suffix + " deployed in " + dir);
            return found.get(found.size() - 1);
        }
    }

    /** {@code file} with matching checksums and a signature gpg verifies. */
    private void assertDeployedAndSigned(Path file) throws Exception {
        Path signature = file.resolveSibling(file.getFileName() + ".asc");
        assertTrue(Files.isRegularFile(signature), "signed: " + signature);
        assertChecksums(file); // Central wants none for the .asc files themselves
        String verified = run(deployed, 60, GPG.path().toString(), "--batch", "--verify", signature.toString(), file.toString());
        assertTrue(verified.contains("Good signature"), verified);
    }

    private static void assertChecksums(Path file) throws Exception {
        byte[] content = Files.readAllBytes(file);
        for (Map.Entry<String, String> sum : Map.of("md5", "MD5", "sha1", "SHA-1").entrySet()) {
            Path checksum = file.resolveSibling(file.getFileName() + "." + sum.getKey());
            assertTrue(Files.isRegularFile(checksum), "checksum " + checksum);
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance(sum.getValue()).digest(content));
            assertEquals(expected, Files.readString(checksum).strip().split("\\s+")[0], checksum.toString());
        }
    }

    /** The text of the first {@code <tag>} outside {@code <parent>}, {@code <dependencies>} and {@code <build>}. */
    private static String text(String xml, String tag) {
        String top = xml.replaceAll("(?s)<parent>.*?</parent>", "").replaceAll("(?s)<build>.*?</build>", "")
                .replaceAll("(?s)<profiles>.*?</profiles>", "").replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "");
        Matcher m = Pattern.compile("(?s)<" + tag + ">(.*?)</" + tag + ">").matcher(top);
        assertTrue(m.find(), () -> "<" + tag + "> in\n" + xml);
        return m.group(1).strip();
    }

    private static String section(String xml, String tag) {
        Matcher m = Pattern.compile("(?s)<" + tag + "[^>]*>(.*?)</" + tag + ">").matcher(xml);
        assertTrue(m.find(), "<" + tag + ">");
        return m.group(1);
    }

    private static String profile(String pom, String id) {
        Matcher m = Pattern.compile("(?s)<profile>\\s*<id>" + id + "</id>(.*?)</profile>").matcher(pom);
        assertTrue(m.find(), "profile " + id);
        return m.group(1);
    }

    private static Map<String, String> properties(String pom) {
        Map<String, String> properties = new HashMap<>();
        Matcher m = Pattern.compile("(?s)<([\\w.-]+)>([^<]*)</\\1>").matcher(section(pom, "properties"));
        while (m.find()) {
            properties.put(m.group(1), m.group(2).strip());
        }
        return properties;
    }

    /** {@code value} with its {@code ${...}} references resolved, as Maven interpolates the published POM. */
    private static String resolve(String value, Map<String, String> properties) {
        for (int depth = 0; depth < 5 && value.contains("${"); depth++) {
            value = PROPERTY.matcher(value).replaceAll(m -> Matcher.quoteReplacement(
                    properties.getOrDefault(m.group(1), m.group())));
        }
        assertFalse(value.contains("${"), "unresolved: " + value);
        return value;
    }

    /** The version directory of {@code artifactId} in the file repository. */
    private Path deployed(String artifactId) {
        Assumptions.assumeTrue(notInstalled == null, notInstalled);
        return deployed.resolve(GROUP_PATH).resolve(artifactId).resolve(Artifacts.version());
    }

    /** The parent and the published modules. */
    private static List<String> artifacts() throws IOException {
        List<String> all = new ArrayList<>(List.of(PARENT));
        all.addAll(publishedModules());
        return all;
    }

    /** The version the root pom pins for {@code plugin}. */
    private static String pinnedVersion(String plugin) throws IOException {
        Matcher m = Pattern.compile("<artifactId>" + plugin + "</artifactId><version>([^<]+)</version>")
                .matcher(Files.readString(ReadmeProject.root().resolve("pom.xml")));
        assertTrue(m.find(), plugin + " pinned in the root pom's pluginManagement");
        return m.group(1);
    }

    private static Path repository() {
        return Path.of(System.getProperty("readme.repository"));
    }

    private String run(Path dir, int seconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(gpgEnvironment);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + output);
        return output;
    }
}
