package dev.uhttp.workers.dispatcher.staticfiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticRoutesTest {
    @TempDir
    Path tmp;

    @Test
    void missingDirectoryIsRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StaticRoutes(Map.of("/static/", tmp.resolve("nope"))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StaticRoutes(Map.of("static/", tmp)));
    }

    @Test
    void resolvesInsideTheRootOnly() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("a.txt"), "a");
        Files.createDirectories(www.resolve("d"));
        Files.writeString(www.resolve("d/index.html"), "i");
        Files.createDirectories(www.resolve("empty"));
        Files.writeString(tmp.resolve("secret"), "s");
        Files.createSymbolicLink(www.resolve("out"), tmp.resolve("secret"));
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "docs");
        StaticRoutes r = new StaticRoutes(Map.of("/s", www, "/s/docs/", docs));
        Path real = www.toRealPath();
        assertEquals(real.resolve("a.txt"), r.resolve("/s/a.txt"));
        assertEquals(real.resolve("d/index.html"), r.resolve("/s/d"));
        assertEquals(real.resolve("d/index.html"), r.resolve("/s/d/"));
        assertEquals(docs.toRealPath().resolve("a.txt"), r.resolve("/s/docs/a.txt")); // longest prefix
        assertNull(r.resolve("/s/empty/"));
        assertNull(r.resolve("/s/../secret"));
        assertNull(r.resolve("/s/out"));
        assertNull(r.resolve("/s/missing"));
        assertNull(r.resolve("/sx/a.txt"));
        assertNull(r.resolve("/other"));
    }

    @Test
    void mimeTypes() {
        assertEquals("text/html; charset=utf-8", MimeTypes.forName("index.HTML"));
        assertEquals("text/javascript; charset=utf-8", MimeTypes.forName("m.mjs"));
        assertEquals("application/json; charset=utf-8", MimeTypes.forName("app.js.map"));
        assertEquals("image/svg+xml; charset=utf-8", MimeTypes.forName("i.svg"));
        assertEquals("application/wasm", MimeTypes.forName("x.wasm"));
        assertEquals("font/woff2", MimeTypes.forName("f.woff2"));
        assertEquals("image/x-icon", MimeTypes.forName("favicon.ico"));
        assertEquals(MimeTypes.DEFAULT, MimeTypes.forName("README"));
        assertEquals(MimeTypes.DEFAULT, MimeTypes.forName("dir.d/file"));
        assertEquals(MimeTypes.DEFAULT, MimeTypes.forName("x.unknown"));
    }
}
