package zoo;

public abstract class Animal {
    protected String name;

    public Animal(String name) { this.name = name; }

    public String describe() { return name + " says " + sound(); }

    protected abstract String sound();

    public void rest() { }
}
