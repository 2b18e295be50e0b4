package io.ordersaga.demo;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The options of {@code ordersaga demo} as a picocli command: parsing, validation and the generated help
 * ({@link DemoOptions#usage()}). {@link DemoOptions#parse} reads arguments with it; the launcher adds it to its own
 * {@code demo} subcommand as a {@link CommandLine.Mixin}, so the options and their help are declared once, here.
 *
 * <p>Options take {@code --name value} or {@code --name=value} (picocli's separator {@code =}); the help shows
 * {@code --name VALUE} ({@link #helpSeparator}). A repeated option keeps its last value when parsed by
 * {@link #commandLine} (the launcher sets the same). An option left out is null here and takes its default from
 * {@link DemoOptions#defaults()} in {@link #options()}.
 */
@Command(name = "demo", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Replays orders through order-api, waits for every order to end, reports throughput and latency, then "
                    + "audits stock, wallets and orders against the services' own state (exit 1 on any breach).",
            ""},
        footerHeading = "%nExit codes:%n",
        footer = "  0 the books balance, 1 audit breach, 2 bad options or the demo could not run.")
public final class DemoCommand {

    @Option(names = "--csv", paramLabel = "FILE", converter = NonBlankPath.class,
            description = "replay the UCI Online Retail CSV FILE (one order per invoice, in date order)")
    private Path csv;

    @Option(names = "--max-orders", paramLabel = "N", converter = PositiveInt.class,
            description = "with --csv: replay only the first N orders")
    private Integer maxOrders;

    @Option(names = "--orders", paramLabel = "N", converter = PositiveInt.class,
            description = "synthetic workload of N orders (default 5000; used without --csv)")
    private Integer orders;

    @Option(names = "--flash-sale", paramLabel = "BUYERS:UNITS", converter = FlashSaleValue.class,
            description = {
                "a flash sale instead (e.g. 1000:100): one hot product stocked with exactly UNITS units, BUYERS "
                        + "customers (each able to pay) placing one order of 1 unit each, all at once (closed loop "
                        + "with BUYERS in flight unless --concurrency or --rate is given); min(UNITS, BUYERS) must "
                        + "sell, exactly. Not with --csv, --orders, --max-orders or --stock-fraction"})
    private DemoOptions.FlashSale flashSale;

    @Option(names = "--seed", paramLabel = "S", converter = WholeNumber.class,
            description = "seed of the synthetic workload, of the flash sale's ids and of the wallet policy "
                    + "(default 42)")
    private Long seed;

    @Option(names = "--concurrency", paramLabel = "C", converter = PositiveInt.class,
            description = "orders in flight, and parallel requests while loading (default 32; BUYERS with "
                    + "--flash-sale)")
    private Integer concurrency;

    @Option(names = "--rate", paramLabel = "ORDERS_PER_S", converter = PositiveNumber.class,
            description = "submit at this fixed rate instead (open loop)")
    private Double rate;

    @Option(names = "--stock-fraction", paramLabel = "F", converter = Fraction.class,
            description = "initial stock = ceil(F x units demanded) per product (default 0.8)")
    private Double stockFraction;

    @Option(names = "--api", paramLabel = "URL", converter = HttpUrl.class,
            description = "base URL of order-api of a stack already up, such as ./ordersaga up's "
                    + "http://127.0.0.1:8080 (without it, ./ordersaga demo starts a private stack)")
    private URI api;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "the Kafka cluster behind --api, whose records per order the report counts (default "
                    + DemoOptions.DEFAULT_BOOTSTRAP_SERVERS + "; none: count none)")
    private String bootstrap;

    @Option(names = "--out", paramLabel = "DIR", converter = NonBlankPath.class,
            description = "where report.json and report.html go (default demo-report)")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    /** Options not parsed yet: every one null, so {@link #options()} would give {@link DemoOptions#defaults()}. */
    public DemoCommand() {
        // picocli writes the fields
    }

    /**
     * A command line of these options alone, named {@code ordersaga demo}: a repeated option keeps its last value,
     * and an argument starting with {@code @} is an argument like any other (no argument files).
     *
     * @param command the object the options are written into
     * @return the command line, ready for {@link CommandLine#parseArgs} or {@link CommandLine#getUsageMessage()}
     */
    static CommandLine commandLine(DemoCommand command) {
        return new CommandLine(command).setCommandName("ordersaga demo").setOverwrittenOptionsAllowed(true)
                .setExpandAtFiles(false);
    }

    /**
     * Makes {@code commandLine}'s help (and its subcommands') show an option's value after a space,
     * {@code --orders N}, as the shell takes it. Call it once parsing is done: picocli's parser then no longer
     * splits {@code --name=value}.
     *
     * @param commandLine a command line whose arguments are parsed
     * @return {@code commandLine}
     */
    public static CommandLine helpSeparator(CommandLine commandLine) {
        return commandLine.setSeparator(" ");
    }

    /**
     * Whether {@code --api} was given: the demo then runs against that stack, else the launcher starts one.
     *
     * @return true when {@code --api} was on the command line
     */
    public boolean apiGiven() {
        return api != null;
    }

    /**
     * The options parsed, over {@link DemoOptions#defaults()}. A flash sale puts its BUYERS in flight unless
     * {@code --concurrency} or {@code --rate} is given.
     *
     * @return the options
     * @throws IllegalArgumentException with a one-line message for options that do not go together:
     *                                  {@code --flash-sale} with {@code --csv}, {@code --orders},
     *                                  {@code --max-orders} or {@code --stock-fraction}; {@code --orders} with
     *                                  {@code --csv}; {@code --max-orders} without {@code --csv}
     */
    public DemoOptions options() {
        if (flashSale != null) {
            String other = csv != null ? "--csv" : orders != null ? "--orders" : maxOrders != null ? "--max-orders"
                    : stockFraction != null ? "--stock-fraction" : null;
            if (other != null) {
                throw new IllegalArgumentException("--flash-sale does not go with " + other
                        + ": the flash sale is a workload of its own, stocked with exactly its UNITS");
            }
        }
        if (csv != null && orders != null) {
            throw new IllegalArgumentException("--orders is for the synthetic workload; with --csv use --max-orders");
        }
        if (csv == null && maxOrders != null) {
            throw new IllegalArgumentException("--max-orders needs --csv; the synthetic workload takes --orders");
        }
        DemoOptions d = DemoOptions.defaults();
        int inFlight = concurrency != null ? concurrency
                : flashSale != null && rate == null ? flashSale.buyers() : d.concurrency();
        return new DemoOptions(Optional.ofNullable(csv), or(orders, d.orders()), or(seed, d.seed()), inFlight,
                or(rate, d.rate()), or(api, d.apiUrl()), or(out, d.outDir()), or(stockFraction, d.stockFraction()),
                or(maxOrders, d.maxOrders()), Optional.ofNullable(flashSale), help, bootstrap == null ? d.bootstrapServers()
                : bootstrap.equals("none") ? Optional.empty() : Optional.of(bootstrap));
    }

    /**
     * A usage error as one line: {@code unknown option X (see --help)}, {@code --name needs a value (see --help)},
     * {@code --name needs <what it takes>, got '<value>'}, or picocli's own message.
     *
     * @param e what picocli threw while parsing
     * @return the message, without a line break
     */
    public static String oneLine(ParameterException e) {
        String message;
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            message = "unknown option " + unmatched.getUnmatched().getFirst() + " (see --help)";
        } else if (e instanceof MissingParameterException missing && missing.getMissing().size() > 1) {
            message = "one of " + missing.getMissing().stream().map(arg -> arg instanceof OptionSpec option
                    ? option.longestName() : arg.paramLabel()).collect(Collectors.joining(" or ")) + " is needed (see --help)";
        } else if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().getFirst() instanceof OptionSpec option) {
            message = option.longestName() + " needs a value (see --help)";
        } else if (e.getCause() instanceof TypeConversionException needs && e.getArgSpec() instanceof OptionSpec option) {
            message = option.longestName() + " needs " + needs.getMessage() + ", got '" + e.getValue() + "'";
        } else {
            message = e.getMessage();
        }
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    private static <T> T or(T given, T otherwise) {
        return given != null ? given : otherwise;
    }

    /**
     * {@code value} as {@code parse} reads it, when {@code valid} takes it.
     *
     * @throws TypeConversionException saying what the option {@code needs} when {@code parse} throws or
     *                                 {@code valid} refuses
     */
    private static <T> T convert(String value, String needs, Function<String, T> parse, Predicate<T> valid) {
        try {
            T converted = parse.apply(value.strip());
            if (valid.test(converted)) {
                return converted;
            }
        } catch (RuntimeException e) {
            // a NumberFormatException or an IllegalArgumentException of URI.create: refused below
        }
        throw new TypeConversionException(needs);
    }

    /** A whole number {@code >= 1}. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return DemoCommand.convert(value, "a whole number >= 1", Integer::parseInt, n -> n >= 1);
        }
    }

    /** Any whole number of a {@code long}. */
    static final class WholeNumber implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return DemoCommand.convert(value, "a whole number", Long::parseLong, n -> true);
        }
    }

    /** A finite number {@code > 0}. */
    static final class PositiveNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return DemoCommand.convert(value, "a number > 0", Double::parseDouble, d -> Double.isFinite(d) && d > 0);
        }
    }

    /** A finite number from 0 to 1000. */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return DemoCommand.convert(value, "a number between 0 and 1000", Double::parseDouble,
                    d -> d >= 0 && d <= 1000);
        }
    }

    /** {@code BUYERS:UNITS}, two whole numbers {@code >= 1}. */
    static final class FlashSaleValue implements ITypeConverter<DemoOptions.FlashSale> {
        @Override
        public DemoOptions.FlashSale convert(String value) {
            return DemoCommand.convert(value, "BUYERS:UNITS, two whole numbers >= 1 such as 1000:100", text -> {
                List<String> parts = List.of(text.split(":", -1));
                return parts.size() != 2 ? null : new DemoOptions.FlashSale(Integer.parseInt(parts.get(0).strip()),
                        Integer.parseInt(parts.get(1).strip()));
            }, sale -> sale != null && sale.buyers() >= 1 && sale.units() >= 1);
        }
    }

    /** An http or https URL with a host; a trailing slash is dropped. */
    static final class HttpUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            return DemoCommand.convert(value, "an http(s) URL such as http://127.0.0.1:8080",
                    text -> URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text),
                    uri -> ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null);
        }
    }

    /** A path that is not blank. */
    static final class NonBlankPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return DemoCommand.convert(value, "a non-empty value", text -> Path.of(value), path -> !value.isBlank());
        }
    }
}
