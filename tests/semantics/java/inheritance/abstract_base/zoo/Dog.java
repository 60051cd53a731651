package zoo;

public class Dog extends Animal {
    public Dog() { super("dog"); }

    @Override
    protected String sound() { return "woof"; }

    @Override
    public void rest() {
        super.rest();
        wag();
    }

    void wag() { }
}
