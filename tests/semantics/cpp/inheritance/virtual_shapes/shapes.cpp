#include <cstdio>
#include <vector>
#include <memory>

class Shape {
public:
    virtual ~Shape() {}
    virtual double area() const = 0;
    virtual const char* name() const { return "shape"; }
    void print() const { std::printf("%s %f\n", name(), area()); }
};

class Circle : public Shape {
public:
    explicit Circle(double r) : r_(r) {}
    double area() const override { return 3.14 * r_ * r_; }
    const char* name() const override { return "circle"; }
private:
    double r_;
};

class Square : public Shape {
public:
    explicit Square(double s) : s_(s) {}
    double area() const override { return s_ * s_; }
private:
    double s_;
};

double total(const std::vector<std::unique_ptr<Shape>>& shapes) {
    double sum = 0;
    for (const auto& s : shapes) {
        sum += s->area();
    }
    return sum;
}

int main() {
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Circle>(1.0));
    Square sq(2.0);
    sq.print();
    Shape& ref = sq;
    ref.name();
    total(shapes);
    return 0;
}
