package io.ordersaga.localstack;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ordersaga up [--fresh]} for the local stack alone: starts it on its fixed ports (Kafka 9092,
 * Apicurio Registry 8081) with its data under {@code <project root>/.ordersaga}, prints where they are, and
 * serves until Ctrl-C or SIGTERM, which stop the registry process and the broker (the stack's shutdown hook).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    /**
     * @param args {@code [--fresh]}: {@code --fresh} deletes the data of earlier runs (topics, offsets,
     *             schemas) first; anything else prints the usage and exits with status 2
     * @throws InterruptedException when the serving thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        if (!List.of(args).stream().allMatch("--fresh"::equals)) {
            System.err.println("usage: ordersaga up [--fresh]");
            System.exit(2);
        }
        try {
            up(List.of(args).contains("--fresh"), System.out);
        } catch (IllegalStateException e) {
            System.err.println("ordersaga up: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("Serving until Ctrl-C.");
        new CountDownLatch(1).await();
    }

    /**
     * Starts the fixed-port stack ({@link LocalStack.Config#fixed(boolean)}) and prints its addresses and
     * start times to {@code out}. The caller owns the stack; the JVM's shutdown closes it anyway.
     *
     * @param fresh delete the data of earlier runs first
     * @throws IllegalStateException when the stack does not start ({@link LocalStack#start})
     */
    public static LocalStack up(boolean fresh, PrintStream out) {
        LocalStack stack = LocalStack.start(LocalStack.Config.fixed(fresh));
        out.printf("Kafka             %s   (ready after %d ms)%n", stack.bootstrapServers(), stack.brokerReadyMs());
        out.printf("Apicurio Registry %s   (ready after %d ms; Confluent API %s/apis/ccompat/v7)%n",
                stack.registryUrl(), stack.registryReadyMs(), stack.registryUrl());
        out.printf("Data              %s%n", stack.dataDir());
        return stack;
    }
}
