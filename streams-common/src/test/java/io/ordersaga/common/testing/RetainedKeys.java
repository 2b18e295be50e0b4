package io.ordersaga.common.testing;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A retention test's model of the closed entries a store must still hold: each key with the time it is due to leave
 * the store (closed at + retention, in epoch ms), added in the order they closed, so the oldest expire first.
 */
public final class RetainedKeys {

    private record Retained(String key, long untilMs) {
    }

    private final ArrayDeque<Retained> retained = new ArrayDeque<>();

    /** Adds {@code key}, kept until {@code untilMs} (epoch ms); keys must be added in order of their {@code untilMs}. */
    public void add(String key, long untilMs) {
        retained.add(new Retained(key, untilMs));
    }

    /** Forgets every key whose time is up at {@code nowMs}, and returns the keys still retained, oldest first. */
    public List<String> at(long nowMs) {
        while (!retained.isEmpty() && retained.peekFirst().untilMs() <= nowMs) {
            retained.removeFirst();
        }
        return retained.stream().map(Retained::key).toList();
    }
}
