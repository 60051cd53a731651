package zoo;

public class Keeper {
    void visit(Dog d) {
        d.describe();
        d.rest();
    }
}
