/*
 * Copyright header: not a Javadoc.
 */
package com.example.shop.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.*;
import java.util.function.Function;
import static java.util.Objects.requireNonNull;
import static org.junit.Assert.*;
import com.example.shop.model.Item;
import com.example.shop.model.Item.Kind;

/**
 * In-memory repository of entities.
 *
 * @param <K> key type
 * @param <V> value type
 */
@SuppressWarnings("unchecked")
public class Repository<K extends Comparable<K>, V> extends AbstractStore implements Store<K, V> {
    /** Default capacity. */
    public static final int DEFAULT_CAPACITY = 16;
    private static int instances;
    protected final Map<K, V> items = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new ArrayList<>(), removed;
    String name;

    /** Creates an empty repository. */
    public Repository() {
        this(DEFAULT_CAPACITY);
    }

    Repository(int capacity) {
        super(capacity);
        removed = new ArrayList<>(capacity);
        instances++;
    }

    /**
     * Stores a value.
     * @return the previous value
     */
    @Override
    public V put(K key, V value) {
        requireNonNull(key);
        V old = items.put(key, value);
        listeners.forEach(l -> l.changed(key));
        return old;
    }

    public void put(Map<? extends K, ? extends V> all) {
        all.forEach(this::put);
    }

    public V get(K key) {
        return items.get(key);
    }

    @SafeVarargs
    public final <R> List<R> map(Function<? super V, R> f, V... extra) {
        List<R> out = new ArrayList<>();
        for (V v : items.values()) {
            out.add(f.apply(v));
        }
        return out;
    }

    private void notifyAll(final String event, int[] codes) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(new Runnable() {
            @Override
            public void run() {
                log(event);
            }
        });
        super.close();
        assertTrue(codes.length > 0);
    }

    static void log(String message) {
        System.out.println(message);
    }

    interface Listener {
        void changed(Object key);
    }
}
