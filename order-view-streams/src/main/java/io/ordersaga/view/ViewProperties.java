package io.ordersaga.view;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * order-view-streams' own settings, under the prefix {@code ordersaga.view}.
 *
 * @param maxOrdersPerCustomer how many of a customer's newest orders the per-customer listing keeps, &gt;= 1;
 *                             unset: {@value OrderViewTopology#DEFAULT_MAX_ORDERS_PER_CUSTOMER}
 */
@ConfigurationProperties("ordersaga.view")
public record ViewProperties(Integer maxOrdersPerCustomer) {

    /** @throws IllegalArgumentException when maxOrdersPerCustomer is below 1, so the service does not start */
    public ViewProperties {
        if (maxOrdersPerCustomer != null && maxOrdersPerCustomer < 1) {
            throw new IllegalArgumentException("ordersaga.view.max-orders-per-customer must be >= 1, was " + maxOrdersPerCustomer);
        }
    }

    /** The setting, or its default. */
    public int maxOrdersPerCustomerOrDefault() {
        return maxOrdersPerCustomer != null ? maxOrdersPerCustomer : OrderViewTopology.DEFAULT_MAX_ORDERS_PER_CUSTOMER;
    }
}
