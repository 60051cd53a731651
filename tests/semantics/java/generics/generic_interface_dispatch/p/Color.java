package p;

public enum Color {
    RED, GREEN;

    public String css() { return name().toLowerCase(); }
}
