package io.ordersaga.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Options of {@code ./ordersaga demo}; see {@link #USAGE}.
 *
 * @param csv           the Online Retail CSV to replay; empty for the synthetic workload
 * @param orders        orders of the synthetic workload, {@code >= 1}
 * @param seed          seed of the synthetic workload, of the flash sale's ids and of the half-credited customers
 * @param concurrency   orders in flight (POST to terminal state) when not paced, and parallel requests while
 *                      loading and auditing, {@code >= 1}; a flash sale's buyers unless given
 * @param rate          orders submitted per second when paced (open loop, any number in flight); 0 when not paced
 * @param apiUrl        base URL of order-api
 * @param outDir        directory of report.json and report.html
 * @param stockFraction initial stock as a fraction of each product's demanded units, {@code >= 0}
 * @param maxOrders     replay only the first this many orders of the CSV; {@link Integer#MAX_VALUE} for all
 * @param flashSale     replay a flash sale on one hot product instead of the CSV or the synthetic workload;
 *                      empty otherwise
 * @param help          print {@link #USAGE} and do nothing else
 */
public record DemoOptions(Optional<Path> csv, int orders, long seed, int concurrency, double rate, URI apiUrl,
                          Path outDir, double stockFraction, int maxOrders, Optional<FlashSale> flashSale,
                          boolean help) {

    /** Default base URL of order-api on the local stack. */
    public static final URI DEFAULT_API_URL = URI.create("http://127.0.0.1:8080");

    /** The help text. */
    public static final String USAGE = """
            Usage: ordersaga demo [options]
            Replays orders through order-api, waits for every order to end, reports throughput and latency,
            then audits stock, wallets and orders against the services' own state (exit 1 on any breach).

              --csv FILE             replay the UCI Online Retail CSV FILE (one order per invoice, in date order)
              --max-orders N         with --csv: replay only the first N orders
              --orders N             synthetic workload of N orders (default 5000; used without --csv)
              --flash-sale BUYERS:UNITS
                                     a flash sale instead (e.g. 1000:100): one hot product stocked with exactly
                                     UNITS units, BUYERS customers (each able to pay) placing one order of
                                     1 unit each, all at once (closed loop with BUYERS in flight unless
                                     --concurrency or --rate is given); min(UNITS, BUYERS) must sell, exactly.
                                     Not with --csv, --orders, --max-orders or --stock-fraction
              --seed S               seed of the synthetic workload, of the flash sale's ids and of the wallet
                                     policy (default 42)
              --concurrency C        orders in flight, and parallel requests while loading (default 32;
                                     BUYERS with --flash-sale)
              --rate ORDERS_PER_S    submit at this fixed rate instead (open loop)
              --stock-fraction F     initial stock = ceil(F x units demanded) per product (default 0.8)
              --api URL              base URL of order-api (default http://127.0.0.1:8080)
              --out DIR              where report.json and report.html go (default demo-report)
              --help                 this text

            Exit codes: 0 the books balance, 1 audit breach, 2 bad options or the demo could not run.""";

    /**
     * A flash sale: {@code buyers} distinct customers, each able to pay, each place one order of 1 unit of one hot
     * product stocked with exactly {@code units} units, all at once; exactly {@code min(units, buyers)} of them
     * must be CONFIRMED and the others cancelled OUT_OF_STOCK.
     *
     * @param buyers customers, one order each, {@code >= 1}
     * @param units  units of stock of the hot product, {@code >= 1}
     */
    public record FlashSale(int buyers, int units) {

        /**
         * The units that must sell.
         *
         * @return {@code min(units, buyers)}
         */
        public long mustSell() {
            return Math.min(units, buyers);
        }
    }

    /**
     * The defaults: synthetic, 5000 orders, seed 42, 32 in flight, not paced, local order-api, out
     * {@code demo-report}, stock fraction 0.8, no flash sale.
     *
     * @return the default options
     */
    public static DemoOptions defaults() {
        return new DemoOptions(Optional.empty(), 5000, 42, 32, 0, DEFAULT_API_URL, Path.of("demo-report"), 0.8,
                Integer.MAX_VALUE, Optional.empty(), false);
    }

    /**
     * Parses command-line arguments ({@code --name value} or {@code --name=value}) over the defaults.
     *
     * @param args the arguments after {@code demo}
     * @return the options
     * @throws IllegalArgumentException with a one-line message for an unknown option, a missing or invalid value,
     *                                  or options that do not go together ({@code --flash-sale} with {@code --csv},
     *                                  {@code --orders}, {@code --max-orders} or {@code --stock-fraction})
     */
    public static DemoOptions parse(String... args) {
        DemoOptions d = defaults();
        Optional<Path> csv = d.csv;
        int orders = d.orders;
        long seed = d.seed;
        int concurrency = d.concurrency;
        double rate = d.rate;
        URI apiUrl = d.apiUrl;
        Path outDir = d.outDir;
        double stockFraction = d.stockFraction;
        int maxOrders = d.maxOrders;
        Optional<FlashSale> flashSale = d.flashSale;
        boolean help = false;
        boolean ordersGiven = false;
        boolean maxOrdersGiven = false;
        boolean concurrencyGiven = false;
        boolean stockFractionGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
                continue;
            }
            if (!isKnown(name)) {
                throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value (see --help)");
                }
                value = args[++i];
            }
            switch (name) {
                case "--csv" -> csv = Optional.of(Path.of(nonBlank(name, value)));
                case "--orders" -> {
                    orders = positiveInt(name, value);
                    ordersGiven = true;
                }
                case "--seed" -> seed = parseLong(name, value);
                case "--concurrency" -> {
                    concurrency = positiveInt(name, value);
                    concurrencyGiven = true;
                }
                case "--rate" -> rate = positiveDouble(name, value);
                case "--api" -> apiUrl = url(name, value);
                case "--out" -> outDir = Path.of(nonBlank(name, value));
                case "--stock-fraction" -> {
                    stockFraction = fraction(name, value);
                    stockFractionGiven = true;
                }
                case "--flash-sale" -> flashSale = Optional.of(flashSale(name, value));
                case "--max-orders" -> {
                    maxOrders = positiveInt(name, value);
                    maxOrdersGiven = true;
                }
                default -> throw new IllegalStateException("unhandled option " + name);
            }
        }
        if (flashSale.isPresent()) {
            String other = csv.isPresent() ? "--csv" : ordersGiven ? "--orders" : maxOrdersGiven ? "--max-orders"
                    : stockFractionGiven ? "--stock-fraction" : null;
            if (other != null) {
                throw new IllegalArgumentException("--flash-sale does not go with " + other
                        + ": the flash sale is a workload of its own, stocked with exactly its UNITS");
            }
            if (!concurrencyGiven && rate == 0) {
                concurrency = flashSale.get().buyers();
            }
        }
        if (csv.isPresent() && ordersGiven) {
            throw new IllegalArgumentException("--orders is for the synthetic workload; with --csv use --max-orders");
        }
        if (csv.isEmpty() && maxOrdersGiven) {
            throw new IllegalArgumentException("--max-orders needs --csv; the synthetic workload takes --orders");
        }
        return new DemoOptions(csv, orders, seed, concurrency, rate, apiUrl, outDir, stockFraction, maxOrders,
                flashSale, help);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--csv", "--orders", "--seed", "--concurrency", "--rate", "--api", "--out", "--stock-fraction",
                 "--max-orders", "--flash-sale" -> true;
            default -> false;
        };
    }

    private static String nonBlank(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " needs a non-empty value");
        }
        return value;
    }

    private static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " needs a whole number >= 1, got '" + value + "'");
    }

    /** {@code BUYERS:UNITS}, two whole numbers {@code >= 1}. */
    private static FlashSale flashSale(String name, String value) {
        String[] parts = value.strip().split(":", -1);
        if (parts.length == 2) {
            try {
                int buyers = Integer.parseInt(parts[0].strip());
                int units = Integer.parseInt(parts[1].strip());
                if (buyers >= 1 && units >= 1) {
                    return new FlashSale(buyers, units);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(name + " needs BUYERS:UNITS, two whole numbers >= 1 such as 1000:100, got '"
                + value + "'");
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
        }
    }

    private static double positiveDouble(String name, String value) {
        double d = parseDouble(name, value);
        if (d > 0) {
            return d;
        }
        throw new IllegalArgumentException(name + " needs a number > 0, got '" + value + "'");
    }

    private static double fraction(String name, String value) {
        double d = parseDouble(name, value);
        if (d >= 0 && d <= 1000) {
            return d;
        }
        throw new IllegalArgumentException(name + " needs a number between 0 and 1000, got '" + value + "'");
    }

    private static double parseDouble(String name, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
    }

    private static URI url(String name, String value) {
        try {
            URI uri = new URI(value.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                String text = uri.toString();
                return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " needs an http(s) URL such as http://127.0.0.1:8080, got '"
                + value + "'");
    }
}
