package io.ordersaga.saga;

import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.InventoryCommand;
import org.apache.avro.specific.SpecificRecord;

import java.util.List;

/**
 * A record the saga sends: a command to inventory or payment, or the order's new snapshot. Each variant goes to
 * one topic, under that topic's key.
 */
public sealed interface SagaOutput {

    /** Every topic an output goes to. */
    List<Topic<?>> TOPICS = List.of(Topics.INVENTORY_COMMANDS, Topics.PAYMENT_COMMANDS, Topics.PAYMENT_SETTLEMENTS, Topics.ORDER_EVENTS);

    /**
     * The record key on the output's topic, the id that topic is keyed by: the productId of an inventory command
     * (one inventory task sees every command for a product, in order), the customerId of a payment command or
     * settlement (one payment task sees every command for a wallet, in order; settlements are co-partitioned with
     * {@link Topics#PAYMENT_COMMANDS}), the orderId of an order snapshot.
     */
    default String key() {
        return switch (this) {
            case ToInventory(InventoryCommand command) -> command.getProductId();
            case ToPayment(PaymentCommand command) -> command.getCustomerId();
            case Settle(PaymentSettlement settlement) -> settlement.getCustomerId();
            case Published(OrderEvent event) -> event.getOrderId();
        };
    }

    /** The topic the output goes to. */
    default Topic<?> topic() {
        return switch (this) {
            case ToInventory ignored -> Topics.INVENTORY_COMMANDS;
            case ToPayment ignored -> Topics.PAYMENT_COMMANDS;
            case Settle ignored -> Topics.PAYMENT_SETTLEMENTS;
            case Published ignored -> Topics.ORDER_EVENTS;
        };
    }

    /** The record value on the output's topic. */
    SpecificRecord value();

    /** A command to inventory-streams, for {@link Topics#INVENTORY_COMMANDS}, key productId. */
    record ToInventory(InventoryCommand value) implements SagaOutput {
    }

    /** A command to payment-streams, for {@link Topics#PAYMENT_COMMANDS}, key customerId. */
    record ToPayment(PaymentCommand value) implements SagaOutput {
    }

    /** The confirmed order's charge is final, for {@link Topics#PAYMENT_SETTLEMENTS}, key customerId. */
    record Settle(PaymentSettlement value) implements SagaOutput {
    }

    /** The order's snapshot after a status change, for {@link Topics#ORDER_EVENTS}, key orderId. */
    record Published(OrderEvent value) implements SagaOutput {
    }
}
