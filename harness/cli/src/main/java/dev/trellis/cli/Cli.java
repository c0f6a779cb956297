package dev.trellis.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the commands share: how bad input is reported, and a class loader for users' classes. */
final class Cli {
    private Cli() {}

    /** Bad input: one line on standard error, exit status 2. */
    static int bad(String message) {
        System.err.println("trellis: " + message);
        return 2;
    }

    /** A loader over {@code classpath} (folders and jars) in front of Trellis's own; Trellis's alone when null. */
    static ClassLoader classLoader(String classpath) {
        ClassLoader own = Cli.class.getClassLoader();
        if (classpath == null || classpath.isBlank()) {
            return own;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--classpath: no such folder or jar: " + entry);
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath: not a path: " + entry);
            }
        }
        return new URLClassLoader(dev.trellis.scenario.ScenarioPlan.USER_CLASSES, urls.toArray(URL[]::new), own);
    }
}
