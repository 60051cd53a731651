package p;

public class Service {
    private final Repo<User> users;

    public Service(Repo<User> users) { this.users = users; }

    public Service with() { return this; }

    public String run(String id) {
        User u = users.findOrNull(id);
        Repo<User> e = Repo.empty();
        e.find(id);
        Color.valueOf("RED").css();
        return with().with().users.find(id).name() + u.name();
    }
}
