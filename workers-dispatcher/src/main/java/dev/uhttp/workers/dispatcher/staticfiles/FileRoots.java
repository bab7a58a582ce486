package dev.uhttp.workers.dispatcher.staticfiles;

import dev.uhttp.workers.dispatcher.http.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a pool's workers may hand files back from ({@code WorkerPool.fileRoots}), and the
 * check every handed-back path passes before the dispatcher opens it: absolute, its real path (every
 * symlink and {@code ..} resolved) under the real path of one of the roots, and a regular file. A
 * worker is not trusted with more than that: whatever it names, the dispatcher reads nothing outside
 * these directories (a symlink inside a root that leads out is refused).
 *
 * <p>What remains is the window between this check and the open: a process that can rename
 * directories under a root could swap one for a symlink in between. Roots should be directories the
 * workers read, not ones an untrusted party writes to (nginx's {@code disable_symlinks} has the same
 * limit without {@code O_PATH} walks).
 *
 * <p>Like {@link StaticRoutes#resolve}, the check makes blocking file-system calls on the caller's
 * (the loop's) thread: keep roots on local storage.
 */
public final class FileRoots {
    private final List<Path> roots;

    /**
     * @param roots directories, already checked to exist (at startup)
     * @throws IllegalArgumentException when one does not exist or is not a directory
     */
    public FileRoots(List<Path> roots) {
        List<Path> real = new ArrayList<>(roots.size());
        for (Path root : roots) {
            real.add(realDirectory(root, "file root"));
        }
        this.roots = List.copyOf(real);
    }

    /**
     * The real path of directory {@code dir}.
     *
     * @throws IllegalArgumentException naming {@code what} when it does not exist or is not a directory
     */
    public static Path realDirectory(Path dir, String what) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " " + (dir == null ? null : dir.toAbsolutePath())
                    + " does not exist or is not a directory");
        }
        try {
            return dir.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(what + " " + dir.toAbsolutePath() + " cannot be resolved: " + e, e);
        }
    }

    /** Whether no root is configured (every handed-back file is then refused). */
    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /**
     * The real path of the regular file {@code path} names, when it lies under a root; null otherwise
     * (relative, missing, unreadable, not a regular file, outside every root, or no roots at all).
     */
    public Path resolve(String path) {
        if (roots.isEmpty() || path == null || path.indexOf('\0') >= 0) {
            return null;
        }
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute()) {
                return null;
            }
            Path real = p.toRealPath();
            for (Path root : roots) {
                if (real.startsWith(root) && !real.equals(root)) {
                    return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
                }
            }
            return null;
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }

    /**
     * Sends {@code file} on {@code exchange} (200, 206, 304, 416 as for static files) with the
     * {@code headers} of a handler's answer: a {@code Content-Type} among them wins over the one the
     * file name implies; the others (say {@code Content-Disposition}, {@code Set-Cookie}) are sent too.
     */
    public static boolean respond(HttpExchange exchange, Path file, String[] headers) {
        String type = null;
        int typeAt = -1;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                type = headers[i + 1];
                typeAt = i;
                break;
            }
        }
        String[] extra = headers;
        if (typeAt >= 0) {
            extra = new String[headers.length - 2];
            System.arraycopy(headers, 0, extra, 0, typeAt);
            System.arraycopy(headers, typeAt + 2, extra, typeAt, headers.length - typeAt - 2);
        }
        return exchange.respondFile(file, type != null ? type : MimeTypes.forPath(file), extra);
    }
}
