package app;

public class Main {
    public static void main(String[] args) {
        Point p = Point.origin();
        var q = new Point(1, 2);
        p.plus(q).plus(q);
        Point.origin().plus(p);
        System.out.println(q);
    }
}
