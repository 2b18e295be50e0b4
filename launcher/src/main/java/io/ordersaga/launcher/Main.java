package io.ordersaga.launcher;

import io.ordersaga.demo.Demo;
import io.ordersaga.demo.DemoOptions;
import io.ordersaga.localstack.LocalStack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ./ordersaga} commands that run the system:
 * <ul>
 *   <li>{@code up [--fresh]}: the local stack (Kafka on 9092, registry on 8081, data kept in
 *       {@code .ordersaga/}) and the five services in this JVM (ports in {@link Service}, state stores in
 *       {@code .ordersaga/state}); serves until Ctrl-C, then stops everything. {@code --fresh} deletes the
 *       broker's, the registry's and the services' data first. Typing {@code registry stop} or
 *       {@code registry start} on its standard input stops or restarts the registry (same port and data), to
 *       try an outage.</li>
 *   <li>{@code demo [options]}: replays a workload through the API and audits the books (see
 *       {@link DemoOptions#USAGE}). Without {@code --api} it runs on a private stack of its own (free ports,
 *       temporary data, deleted at the end), so its audit starts from empty books and it never clashes with
 *       a running {@code up}.</li>
 * </ul>
 * All five services share one JVM here because that starts in seconds and fits a laptop; each is still
 * its own Spring application with its own Kafka Streams client, exactly as it runs alone in a container
 * (docker-compose.yml).
 */
public final class Main {

    private Main() {
    }

    /** Entry point; exits 2 on a usage error, 1 when the demo's audit fails. */
    public static void main(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "up" -> up(rest);
            case "demo" -> System.exit(demo(rest));
            default -> {
                System.err.println("usage: ordersaga up [--fresh] | ordersaga demo [--help for options]");
                System.exit(2);
            }
        }
    }

    private static void up(String[] args) {
        boolean fresh = List.of(args).contains("--fresh");
        if (!List.of(args).stream().allMatch("--fresh"::equals)) {
            System.err.println("usage: ordersaga up [--fresh]");
            System.exit(2);
        }
        LocalStack stack = LocalStack.start(LocalStack.Config.fixed(fresh));
        ServiceCluster cluster = new ServiceCluster(stack.bootstrapServers(), stack.registryUrl(), stack.stateDir(),
                serviceOverrides());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stack.close();
            stopped.countDown();
        }, "ordersaga-shutdown"));
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, service.defaultPort());
        }
        cluster.startAll(ports);
        System.out.printf("%nOrderSaga is up (Ctrl-C stops everything).%n"
                        + "  REST API            http://127.0.0.1:%d%n"
                        + "  Kafka               %s%n"
                        + "  Schema Registry     %s  (Confluent API: /apis/ccompat/v7)%n",
                Service.API.defaultPort(), stack.bootstrapServers(), stack.registryUrl());
        for (Service service : Service.values()) {
            if (service.isStreams()) {
                System.out.printf("  %-19s http://127.0.0.1:%d/actuator/health%n", service.applicationName(), service.defaultPort());
            }
        }
        System.out.println("Type 'registry stop' or 'registry start' to stop or restart the registry (an outage).");
        Thread console = new Thread(() -> registryCommands(stack), "ordersaga-console");
        console.setDaemon(true);
        console.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads {@code registry stop} / {@code registry start} lines from standard input until it ends. */
    private static void registryCommands(LocalStack stack) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.trim()) {
                    case "registry stop" -> {
                        stack.stopRegistry();
                        System.out.println("Registry stopped.");
                    }
                    case "registry start" -> {
                        stack.startRegistry();
                        System.out.println("Registry running at " + stack.registryUrl());
                    }
                    case "" -> { }
                    default -> System.out.println("Unknown command (type 'registry stop' or 'registry start'): " + line);
                }
            }
        } catch (IOException | IllegalStateException e) {
            System.err.println("Console commands stopped: " + e.getMessage());
        }
    }

    private static int demo(String[] args) {
        List<String> options = new ArrayList<>(List.of(args));
        if (options.contains("--help")) {
            System.out.println(DemoOptions.USAGE);
            return 0;
        }
        DemoOptions.parse(args);
        if (options.contains("--api")) {
            return Demo.run(DemoOptions.parse(args), System.out);
        }
        System.out.println("Starting a private local stack and the five services for the demo ...");
        try (LocalStack stack = LocalStack.start(LocalStack.Config.ephemeral());
             ServiceCluster cluster = new ServiceCluster(stack.bootstrapServers(), stack.registryUrl(),
                     stack.stateDir(), serviceOverrides())) {
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                ports.put(service, freePort());
            }
            cluster.startAll(ports);
            options.add("--api");
            options.add(cluster.first(Service.API).url());
            return Demo.run(DemoOptions.parse(options.toArray(String[]::new)), System.out);
        }
    }

    /**
     * Service settings given to this JVM as {@code -Dordersaga.<name>=<value>} (for example
     * {@code -Dordersaga.commit-interval-ms=50} or {@code -Dordersaga.saga.payment-timeout-ms=10000}),
     * passed on to every service instance.
     */
    static Map<String, String> serviceOverrides() {
        Map<String, String> overrides = new java.util.TreeMap<>();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("ordersaga.") && !key.equals("ordersaga.home")) {
                overrides.put(key.toString(), value.toString());
            }
        });
        return overrides;
    }

    /** A port free on 127.0.0.1 right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
