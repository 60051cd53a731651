package p;

public class User {
    public String name() { return "u"; }
}
