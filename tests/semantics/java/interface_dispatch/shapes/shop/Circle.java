package shop;

public class Circle implements Shape {
    public double area() { return 3.14; }
}
