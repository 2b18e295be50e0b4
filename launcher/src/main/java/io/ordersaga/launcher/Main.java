package io.ordersaga.launcher;

import io.ordersaga.demo.Demo;
import io.ordersaga.demo.DemoCommand;
import io.ordersaga.demo.DemoOptions;
import io.ordersaga.demo.client.Credentials;
import io.ordersaga.localstack.LocalIssuer;
import io.ordersaga.localstack.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;

/**
 * The {@code ./ordersaga} commands that run the system, as picocli subcommands (help generated, {@code --help} on
 * each; a usage error prints one line and exits 2):
 * <ul>
 *   <li>{@code up [--fresh] [--brokers N]} ({@link Up}): the local stack (Kafka on 9092, or a cluster of N KRaft
 *       nodes on 9092, 9094, ... with every topic replicated min(N, 3) times; registry on 8081, data kept in
 *       {@code .ordersaga/}) and the five services in this JVM (ports in {@link Service}, state stores in
 *       {@code .ordersaga/state}); serves until Ctrl-C, then stops everything. {@code --fresh} deletes the
 *       broker's, the registry's and the services' data first. Typing {@code registry stop} or
 *       {@code registry start} on its standard input stops or restarts the registry (same port and data), to
 *       try an outage.</li>
 *   <li>{@code demo [options]} ({@link DemoRun}, options in {@link DemoCommand}): replays a workload through the
 *       API and audits the books. Without {@code --api} it runs on a private stack of its own (free ports,
 *       temporary data, deleted at the end), so its audit starts from empty books and it never clashes with
 *       a running {@code up}.</li>
 *   <li>{@code bench [--csv FILE] [--out DIR]} ({@link Bench}): the benchmark matrix, each run on a fresh private
 *       stack, and one table of its figures.</li>
 *   <li>{@code token --admin | --customer ID} ({@link Token}): prints a bearer token for {@code up}'s API.</li>
 * </ul>
 * All five services share one JVM here because that starts in seconds and fits a laptop; each is still
 * its own Spring application with its own Kafka Streams client, exactly as it runs alone in a container
 * (docker-compose.yml).
 */
@Command(name = "ordersaga", usageHelpAutoWidth = true,
        description = "Runs OrderSaga: the local stack and the five services, or the demo on a stack of its own.",
        subcommands = {Main.Up.class, Main.DemoRun.class, Bench.class, Main.Token.class})
public final class Main implements Callable<Integer> {

    @Mixin
    private HelpOption helpOption;

    /**
     * Where every warning of {@code up} and {@code demo} goes (the broker's, the clients' retries, Tomcat's), so that
     * the console shows only the launcher's own lines, the local stack's progress and errors: the system property
     * {@code ordersaga.log.file}, by default {@code .ordersaga/logs/ordersaga.log} under the working directory (the
     * repository root for {@code ./ordersaga}). logback.xml, which routes the logs, has the same default.
     */
    static String logFile() {
        return System.getProperty("ordersaga.log.file", ".ordersaga/logs/ordersaga.log");
    }

    @Spec
    private CommandSpec spec;

    private Main() {
    }

    /**
     * Entry point: runs the command and exits with its code: 0 done (or help printed), 1 the demo's audit found a
     * breach or a command failed, 2 a usage error or the demo could not run.
     *
     * @param args the command ({@code up} or {@code demo}) and its options
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The {@code ordersaga} command line: a repeated option keeps its last value, no argument files, a usage error
     * is printed as one line ({@link DemoCommand#oneLine}) and exits 2 ({@link CommandLine.ExitCode#USAGE}), and
     * the help shows {@code --name VALUE}.
     *
     * @return the command line, ready for {@link CommandLine#execute}
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main()).setOverwrittenOptionsAllowed(true).setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(e.getCommandLine().getCommandSpec().qualifiedName() + ": "
                    + DemoCommand.oneLine(e));
            return CommandLine.ExitCode.USAGE;
        });
        commandLine.setExecutionStrategy(parsed -> {
            DemoCommand.helpSeparator(commandLine);
            return new CommandLine.RunLast().execute(parsed);
        });
        return commandLine;
    }

    /**
     * {@code ordersaga} without a command: a usage error.
     *
     * @return never
     * @throws ParameterException always, naming the commands
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is needed: up, demo, bench or token (see --help)");
    }

    /** {@code ordersaga up [--fresh] [--brokers N]}: the local stack and the five services on their fixed ports, until Ctrl-C. */
    @Command(name = "up", usageHelpAutoWidth = true,
            description = "Starts Kafka (127.0.0.1:9092), Apicurio Registry (127.0.0.1:8081) and the five services "
                    + "(REST API on 127.0.0.1:8080) and serves until Ctrl-C or SIGTERM, which stop everything.")
    static final class Up implements Callable<Integer> {

        @Option(names = "--fresh", description = "delete the data of earlier runs (.ordersaga/) first")
        private boolean fresh;

        @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
                description = "KRaft nodes in the local cluster (default 1); node i listens on 9092+2i (controller "
                        + "9093+2i); with 3, every topic has 3 replicas and min.insync.replicas=2")
        private int brokers;

        @Mixin
        private HelpOption helpOption;

        /**
         * Starts everything, prints where each part listens, and waits until the JVM is asked to stop.
         *
         * @return 0 once stopped
         */
        @Override
        public Integer call() {
            LocalStack stack = LocalStack.start(LocalStack.Config.fixed(fresh).withBrokers(brokers));
            ServiceCluster cluster = new ServiceCluster(stack, serviceOverrides(stack));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                stack.close();
                stopped.countDown();
            }, "ordersaga-shutdown"));
            cluster.startAll(ports(Service::defaultPort));
            System.out.printf("%nOrderSaga is up (Ctrl-C stops everything).%n"
                            + "  REST API            http://127.0.0.1:%d%n"
                            + "  Kafka               %s%n"
                            + "  Schema Registry     %s  (Confluent API: /apis/ccompat/v7)%n",
                    Service.API.defaultPort(), stack.bootstrapServers(), stack.registryUrl());
            for (Service service : Service.values()) {
                if (service.isStreams()) {
                    System.out.printf("  %-19s http://127.0.0.1:%d/actuator/health%n", service.applicationName(),
                            service.defaultPort());
                }
            }
            System.out.println("  Warnings and logs   " + logFile());
            System.out.println("Every API request needs a bearer token: ./ordersaga token --admin, or --customer <customerId>"
                    + " (curl -H \"Authorization: Bearer $(./ordersaga token --admin)\" ...).");
            System.out.println("Type 'registry stop' or 'registry start' to stop or restart the registry (an outage).");
            Thread console = new Thread(() -> registryCommands(stack), "ordersaga-console");
            console.setDaemon(true);
            console.start();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    /**
     * {@code ordersaga token --admin | --customer ID}: one line on standard output, a bearer JWT for the API of
     * {@code up} (signed with its key in {@code .ordersaga/keys/}, valid {@link LocalIssuer#TOKEN_TTL}), and nothing
     * else, for {@code curl -H "Authorization: Bearer $(./ordersaga token --admin)"}.
     */
    @Command(name = "token", usageHelpAutoWidth = true,
            description = "Prints a bearer token (one line) for the REST API of ./ordersaga up: an admin's or a customer's.")
    static final class Token implements Callable<Integer> {

        @ArgGroup(multiplicity = "1")
        private Who who;

        @Mixin
        private HelpOption helpOption;

        /** Exactly one of the two roles. */
        static final class Who {
            @Option(names = "--admin", required = true, description = "the admin role: catalog, stock, credits, /admin/**")
            private boolean admin;

            @Option(names = "--customer", required = true, paramLabel = "ID",
                    description = "the customer role for customerId ID: its own orders and wallet")
            private String customer;
        }

        /**
         * Prints the token.
         *
         * @return 0
         */
        @Override
        public Integer call() {
            LocalIssuer issuer = upIssuer();
            System.out.println(who.admin ? issuer.admin() : issuer.customer(who.customer));
            return 0;
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

    /**
     * {@code ordersaga demo [options]}: the demo ({@link Demo#run}) against {@code --api}, or, without it, on a
     * private stack started for it and stopped after.
     */
    @Command(name = "demo")
    static final class DemoRun implements Callable<Integer> {

        @Mixin
        private DemoCommand demo;

        @Spec
        private CommandSpec spec;

        /**
         * Runs the demo.
         *
         * @return {@link Demo#BOOKS_BALANCE}, {@link Demo#AUDIT_BREACH} or {@link Demo#COULD_NOT_RUN}
         * @throws ParameterException for options that do not go together (exit 2)
         */
        @Override
        public Integer call() {
            DemoOptions options;
            try {
                options = demo.options();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            if (demo.apiGiven()) {
                return Demo.run(options, credentials(upIssuer()), System.out);
            }
            System.out.println("Starting a private local stack and the five services for the demo (warnings go to "
                    + logFile() + ") ...");
            try (LocalStack stack = LocalStack.start(LocalStack.Config.ephemeral());
                 ServiceCluster cluster = new ServiceCluster(stack, serviceOverrides())) {
                cluster.startAll(ports(service -> freePort()));
                return Demo.run(options.withStack(URI.create(cluster.first(Service.API).url()), stack.bootstrapServers()),
                        credentials(stack.issuer()), System.out);
            }
        }
    }

    /**
     * The token issuer of {@code ./ordersaga up}'s stack: its key pair in {@code .ordersaga/keys/}, made now if
     * absent (then an order-api started earlier does not trust its tokens: restart {@code up}).
     */
    static LocalIssuer upIssuer() {
        return LocalIssuer.open(LocalStack.keysDir(LocalStack.Config.fixed(false).dataDir()));
    }

    /** The demo client's tokens from {@code issuer}: its admin token and each customer's. */
    static Credentials credentials(LocalIssuer issuer) {
        return new Credentials(issuer::admin, issuer::customer);
    }

    /** {@code -h, --help}: the command's generated help. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        private boolean help;
    }

    /** A port for every service, as {@code port} picks it. */
    static Map<Service, Integer> ports(ToIntFunction<Service> port) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, port.applyAsInt(service));
        }
        return ports;
    }

    /**
     * Service settings given to this JVM as {@code -Dordersaga.<name>=<value>} (for example
     * {@code -Dordersaga.commit-interval-ms=50} or {@code -Dordersaga.saga.payment-timeout-ms=10000}),
     * passed on to every service instance.
     */
    static Map<String, String> serviceOverrides() {
        Map<String, String> overrides = new TreeMap<>();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("ordersaga.") && !key.equals("ordersaga.home")) {
                overrides.put(key.toString(), value.toString());
            }
        });
        return overrides;
    }

    /**
     * {@link #serviceOverrides()} for services on {@code stack}: their topics, changelogs and repartition topics get
     * the stack's replication factor ({@code ordersaga.replication-factor}) unless it is given as a JVM property.
     */
    static Map<String, String> serviceOverrides(LocalStack stack) {
        Map<String, String> overrides = new TreeMap<>(Map.of("ordersaga.replication-factor",
                String.valueOf(stack.replicationFactor())));
        overrides.putAll(serviceOverrides());
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
