package gen;

public class User extends Entity {
    public void greet() { }
}
