package geo;

import java.io.Serializable;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Geometry primitives. */
public final class Shapes {
    private Shapes() {}

    /** Marks experimental shapes. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Experimental {
        String since() default "1.0";
        int level();
    }

    /** Anything with an area. */
    public interface Shape extends Serializable {
        double PI_ISH = 3.14;

        double area();

        default String describe() {
            return getClass().getSimpleName() + " of area " + area();
        }

        static Shape unit() {
            return new Square(1);
        }
    }

    public enum Color {
        RED("#f00"),
        GREEN("#0f0") {
            @Override
            String css() {
                return "lime";
            }
        },
        BLUE("#00f");

        private final String hex;

        Color(String hex) {
            this.hex = hex;
        }

        String css() {
            return hex;
        }
    }

    /** A circle. */
    public record Circle(double radius, Color color) implements Shape {
        public Circle {
            if (radius < 0) {
                throw new IllegalArgumentException("negative radius");
            }
        }

        @Override
        public double area() {
            return Math.PI * radius * radius;
        }
    }

    @Experimental(level = 2)
    static class Square implements Shape {
        protected double side;

        Square(double side) {
            this.side = side;
        }

        @Override
        public double area() {
            return side * side;
        }

        class Corner {
            int index;

            double distance() {
                return Math.sqrt(2) * side;
            }
        }
    }

    public static double total(Shape... shapes) {
        double sum = 0;
        for (Shape s : shapes) {
            sum += s.area();
        }
        return sum;
    }
}
