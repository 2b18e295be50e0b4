package io.ordersaga.saga;

import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.InventoryCommand;

/**
 * A record the saga sends: a command to inventory or payment, or the order's new snapshot. Each variant goes to
 * one topic, under that topic's key.
 */
public sealed interface SagaOutput {

    /** The record key on the output's topic. */
    String key();

    /** A command to inventory-streams, for {@link Topics#INVENTORY_COMMANDS}, key productId. */
    record ToInventory(InventoryCommand command) implements SagaOutput {
        /** The productId, so that one inventory task sees every command for a product, in order. */
        @Override
        public String key() {
            return command.getProductId();
        }
    }

    /** A command to payment-streams, for {@link Topics#PAYMENT_COMMANDS}, key customerId. */
    record ToPayment(PaymentCommand command) implements SagaOutput {
        /** The customerId, so that one payment task sees every command for a wallet, in order. */
        @Override
        public String key() {
            return command.getCustomerId();
        }
    }

    /**
     * The confirmed order's charge is final, for {@link Topics#PAYMENT_SETTLEMENTS}, key customerId (the task owning
     * the wallet, co-partitioned with {@link Topics#PAYMENT_COMMANDS}).
     */
    record Settle(PaymentSettlement settlement) implements SagaOutput {
        /** The customerId. */
        @Override
        public String key() {
            return settlement.getCustomerId();
        }
    }

    /** The order's snapshot after a status change, for {@link Topics#ORDER_EVENTS}, key orderId. */
    record Published(OrderEvent event) implements SagaOutput {
        /** The orderId. */
        @Override
        public String key() {
            return event.getOrderId();
        }
    }
}
