package p;

public class UserRepo implements Repo<User> {
    public User find(String id) { return new User(); }
}
