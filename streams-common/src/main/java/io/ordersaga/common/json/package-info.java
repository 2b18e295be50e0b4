/**
 * The JSON bodies the services answer their interactive queries with, declared once: each service writes its own,
 * and order-api, which relays them, describes them in its OpenAPI document. Money in pence, stock in units.
 */
package io.ordersaga.common.json;
