package ev;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

public class Bus {
    private final List<Consumer<String>> handlers = new ArrayList<>();

    public void on(Consumer<String> h) { handlers.add(h); }

    public void emit(String m) { handlers.forEach(h -> h.accept(m)); }

    void log(String m) { }

    public void wire() {
        on(m -> log(m));
        Runnable r = () -> emit("x");
        r.run();
        new Thread(new Runnable() {
            public void run() {
                emit("y");
                tick();
            }

            void tick() { }
        }).start();
    }
}
