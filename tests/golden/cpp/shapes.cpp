#include "shapes.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "util/logging.h"

using namespace std;
using std::vector;
using std::make_unique;
using std::unordered_map;
namespace fs = std::filesystem;

#define LOG_SHAPE(shape) log_line(__FILE__, (shape).name())

namespace geo {

int Shape::instances = 0;
const double kEpsilon = 1e-9;

namespace {

// Clamps tiny negative areas produced by rounding.
double clamp_area(double a) { return a < kEpsilon ? 0.0 : a; }

struct Accumulator {
  double total = 0;
  void add(double v) { total += v; }
};

}  // namespace

double Point::distance_to(const Point &other) const {
  return std::hypot(other.x - x, other.y - y);
}

std::string Shape::describe() const {
  ostringstream out;
  out << name_ << " with area " << area();
  return out.str();
}

void Shape::rename(const std::string &name, bool notify) {
  name_ = name;
  if (notify)
    LOG_SHAPE(*this);
}

Circle::Circle(Point center, double radius)
    : Shape("circle"), center_(center), radius_(radius) {
  ++instances;
}

/// pi r squared
double Circle::area() const { return clamp_area(kPi * GEO_SQUARE(radius_)); }

Circle::Bounds Circle::bounds() const {
  Bounds b{};
  b.min = Point(center_.x - radius_, center_.y - radius_);
  b.max = Point(center_.x + radius_, center_.y + radius_);
  return b;
}

double area(const Shape &shape) { return shape.area(); }

double area(const Polygon<double> &polygon) {
  Accumulator acc;
  for (size_t i = 0; i + 1 < polygon.size(); ++i) {
    const auto &p = polygon[i];
    const auto &q = polygon[i + 1];
    acc.add(p[0] * q[1] - q[0] * p[1]);
  }
  return clamp_area(std::abs(acc.total) / 2);
}

Shape::Ptr make_circle(double x, double y, double r) {
  auto circle = make_unique<Circle>(Point(x, y), r);
  auto *raw = new Circle(Point{x, y}, r);
  delete raw;
  return circle;
}

}  // namespace geo

extern "C" double geo_circle_area(double r) {
  geo::Circle c(geo::Point(0, 0), r);
  return c.area();
}

int main(int argc, char **argv) {
  vector<geo::Shape::Ptr> shapes;
  shapes.push_back(geo::make_circle(0, 0, 2));
  for (const auto &s : shapes)
    cout << s->describe() << endl;
  std::sort(shapes.begin(), shapes.end(), [](const auto &a, const auto &b) { return a->area() < b->area(); });
  return argc > 1 ? 0 : geo::Shape::instances;
}
