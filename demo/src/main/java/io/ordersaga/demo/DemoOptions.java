package io.ordersaga.demo;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ParameterException;

/**
 * Options of {@code ./ordersaga demo}, as {@link DemoCommand} reads them; see {@link #usage()}.
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
 * @param help          print {@link #usage()} and do nothing else
 * @param bootstrapServers the Kafka cluster behind order-api, {@code host:port[,host:port]}, whose records the report
 *                      counts (records per order); {@link #DEFAULT_BOOTSTRAP_SERVERS} unless given; empty to count
 *                      none ({@code --bootstrap none})
 */
public record DemoOptions(Optional<Path> csv, int orders, long seed, int concurrency, double rate, URI apiUrl,
                          Path outDir, double stockFraction, int maxOrders, Optional<FlashSale> flashSale,
                          boolean help, Optional<String> bootstrapServers) {

    /** Default base URL of order-api on the local stack. */
    public static final URI DEFAULT_API_URL = URI.create("http://127.0.0.1:8080");

    /** Default Kafka bootstrap servers: the broker of {@code ./ordersaga up}. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

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
                Integer.MAX_VALUE, Optional.empty(), false, Optional.of(DEFAULT_BOOTSTRAP_SERVERS));
    }

    /**
     * These options against another stack.
     *
     * @param url              order-api's base URL, without a trailing slash
     * @param bootstrapServers its Kafka cluster, {@code host:port[,host:port]}
     * @return a copy with {@link #apiUrl()} = {@code url} and {@link #bootstrapServers()} = {@code bootstrapServers}
     */
    public DemoOptions withStack(URI url, String bootstrapServers) {
        return new DemoOptions(csv, orders, seed, concurrency, rate, url, outDir, stockFraction, maxOrders, flashSale,
                help, Optional.of(bootstrapServers));
    }

    /**
     * Parses command-line arguments ({@code --name value} or {@code --name=value}; a repeated option keeps its last
     * value) over the defaults, with {@link DemoCommand}.
     *
     * @param args the arguments after {@code demo}
     * @return the options
     * @throws IllegalArgumentException with a one-line message for an unknown option, a missing or invalid value,
     *                                  or options that do not go together ({@code --flash-sale} with {@code --csv},
     *                                  {@code --orders}, {@code --max-orders} or {@code --stock-fraction})
     */
    public static DemoOptions parse(String... args) {
        DemoCommand command = new DemoCommand();
        try {
            DemoCommand.commandLine(command).parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(DemoCommand.oneLine(e), e);
        }
        return command.options();
    }

    /**
     * The help text, generated by picocli from {@link DemoCommand}'s options.
     *
     * @return the help, several lines, starting {@code Usage: ordersaga demo}
     */
    public static String usage() {
        return DemoCommand.helpSeparator(DemoCommand.commandLine(new DemoCommand())).getUsageMessage();
    }
}
