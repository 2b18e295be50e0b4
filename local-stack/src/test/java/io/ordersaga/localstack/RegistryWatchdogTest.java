package io.ordersaga.localstack;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog ends its process when the parent's end of stdin closes, which is what the operating system
 * does when the parent dies in any way.
 */
class RegistryWatchdogTest {

    @Test
    void exitsWhenStdinCloses() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = Path.of(RegistryWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator
                + Path.of(Blocker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process child = new ProcessBuilder(java, "-cp", classPath, RegistryWatchdog.class.getName(), Blocker.class.getName())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo(Blocker.READY);
            assertThat(child.isAlive()).isTrue();

            child.getOutputStream().close();

            assertThat(child.waitFor(RegistryWatchdog.EXIT_GRACE_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Stands for the registry: announces itself, then blocks forever. */
    static final class Blocker {

        static final String READY = "blocking";

        public static void main(String[] args) throws InterruptedException {
            System.out.println(READY);
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
