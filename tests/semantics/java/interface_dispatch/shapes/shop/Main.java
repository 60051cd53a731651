package shop;

import java.util.List;

public class Main {
    static double total(List<Shape> shapes) {
        double t = 0;
        for (Shape s : shapes) {
            t += s.area();
        }
        return t;
    }

    static double one(Circle c) {
        return c.area();
    }
}
