package gen;

import java.util.ArrayList;
import java.util.List;

public class Repo<T extends Entity> {
    private final List<T> items = new ArrayList<>();

    public void add(T item) {
        item.validate();
        items.add(item);
    }

    public void each() {
        for (T t : items) {
            t.save();
        }
        for (var t : items) {
            t.validate();
        }
    }

    public T first() { return items.get(0); }
}
