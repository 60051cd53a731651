package p;

public interface Repo<T> {
    T find(String id);

    default T findOrNull(String id) { return find(id); }

    static <T> Repo<T> empty() { return new EmptyRepo<>(); }
}
