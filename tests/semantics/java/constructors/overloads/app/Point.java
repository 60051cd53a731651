package app;

public class Point {
    private final int x;
    private final int y;

    public Point() { this(0, 0); }

    public Point(int x, int y) {
        this.x = x;
        this.y = y;
    }

    public Point plus(Point o) { return new Point(x + o.x, y + o.y); }

    public static Point origin() { return new Point(); }
}
