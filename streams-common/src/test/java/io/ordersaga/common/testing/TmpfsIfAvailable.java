package io.ordersaga.common.testing;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code @TempDir} factory: the directory on tmpfs ({@code /dev/shm}) when the machine has one, else in the default
 * temporary directory. TopologyTestDriver commits after every record, and each commit flushes RocksDB and fsyncs the
 * task's checkpoint file: milliseconds per record on a busy disk, next to nothing on tmpfs.
 */
public final class TmpfsIfAvailable implements TempDirFactory {

    /**
     * Creates the directory; JUnit deletes it after the test.
     *
     * @throws IOException when it cannot be created
     */
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Path tmpfs = Path.of("/dev/shm");
        return Files.isDirectory(tmpfs) && Files.isWritable(tmpfs)
                ? Files.createTempDirectory(tmpfs, "junit-") : Files.createTempDirectory("junit-");
    }
}
