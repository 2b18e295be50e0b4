package io.ordersaga.localstack;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The entry point of the Apicurio Registry child process: ties the registry's life to its parent's.
 *
 * <p>The parent ({@link RegistryProcess}) keeps the write end of the child's stdin open and never writes to
 * it. When the parent dies, however it dies (close, Ctrl-C, SIGTERM, {@code kill -9}, a JVM crash), the
 * operating system closes that pipe; this watchdog then reads end-of-file and exits the registry's JVM
 * (shutdown hooks first, so H2 closes its file; a halt if that takes longer than {@value #EXIT_GRACE_MS} ms).
 * It only uses JDK classes, because it runs on the registry's class path, copied there as one class file.
 */
public final class RegistryWatchdog {

    /** How long the registry may take to shut down after its parent is gone, in ms, before it is halted. */
    static final long EXIT_GRACE_MS = 10_000;

    private RegistryWatchdog() {
    }

    /**
     * Starts the stdin watch on a daemon thread, then runs {@code args[0]}'s {@code main} with the remaining
     * arguments on this thread (for the registry: {@code io.quarkus.bootstrap.runner.QuarkusEntryPoint}).
     *
     * @throws Exception whatever the delegated main throws; {@link ClassNotFoundException} when {@code args[0]}
     *                   is not on the class path
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: RegistryWatchdog <main class> [args...]");
        }
        Thread.ofPlatform().daemon().name("parent-watchdog").start(RegistryWatchdog::exitWhenStdinCloses);
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void exitWhenStdinCloses() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; anything it might is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        Thread.ofPlatform().daemon().name("parent-watchdog-halt").start(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        });
        System.exit(0);
    }
}
