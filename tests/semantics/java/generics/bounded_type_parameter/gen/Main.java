package gen;

public class Main {
    void run(Repo<User> r) {
        r.add(new User());
        r.first().validate();
    }
}
