package gen;

public class Entity {
    public void validate() { }

    public void save() { }
}
