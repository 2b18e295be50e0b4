package io.ordersaga.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Online Retail sample, which lives next to the project and is never copied into it:
 * {@code <project root>/../shared/data/online-retail/online-retail-sample.csv}.
 */
public final class SampleData {

    /** System property naming the project root (set by the launcher's tests). */
    public static final String HOME_PROPERTY = "ordersaga.home";

    /** The sample's path relative to the project root. */
    public static final Path RELATIVE_PATH = Path.of("..", "shared", "data", "online-retail", "online-retail-sample.csv");

    private SampleData() {
    }

    /**
     * Locates the sample: under the project root named by {@value #HOME_PROPERTY} when that property is set,
     * otherwise under the first of the working directory and its ancestors that has it.
     *
     * @return the sample file, or empty when it is not on this machine (callers skip, never fail)
     */
    public static Optional<Path> onlineRetailSample() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return existing(Path.of(home).resolve(RELATIVE_PATH));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = existing(dir.resolve(RELATIVE_PATH));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> existing(Path path) {
        Path normal = path.normalize();
        return Files.isRegularFile(normal) ? Optional.of(normal) : Optional.empty();
    }
}
