package org.acme.events;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.acme.events.spi.Handler;

/**
 * Dispatches events to handlers.
 */
public class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
    private final List<Handler<?>> handlers = new CopyOnWriteArrayList<>();
    private final Runnable onClose = () -> LOG.info("closed");

    public <E> void register(Handler<E> handler) {
        handlers.add(handler);
    }

    /** Publishes one event synchronously. */
    public void publish(Object event) {
        class Delivery {
            final Object payload;

            Delivery(Object payload) {
                this.payload = payload;
            }

            void deliver(Handler<?> h) {
                h.handle(payload);
            }
        }
        Delivery d = new Delivery(event);
        for (Handler<?> h : handlers) {
            try {
                d.deliver(h);
            } catch (RuntimeException e) {
                LOG.warning(e.getMessage());
            }
        }
    }

    public List<Handler<?>> snapshot() {
        return handlers.isEmpty() ? Collections.<Handler<?>>emptyList() : List.copyOf(handlers);
    }

    /** Wraps a handler with a name. */
    public static class Named<E> implements Handler<E> {
        private final String name;
        private final Handler<E> delegate;

        public Named(String name, Handler<E> delegate) {
            this.name = name;
            this.delegate = delegate;
        }

        @Override
        public void handle(Object event) {
            delegate.handle(event);
        }

        public String name() {
            return name;
        }
    }

    /** Inner (non-static) subscription bound to this bus. */
    public class Subscription implements AutoCloseable {
        private final Handler<?> handler;

        Subscription(Handler<?> handler) {
            this.handler = handler;
        }

        @Override
        public void close() {
            handlers.remove(handler);
            onClose.run();
        }
    }

    public Subscription subscribe(Handler<?> handler) {
        register(handler);
        return this.new Subscription(handler);
    }

    static EventBus.Subscription detached(EventBus bus, Handler<?> h) {
        return bus.new Subscription(h);
    }
}
