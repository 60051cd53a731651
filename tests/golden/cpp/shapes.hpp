// shapes.hpp - geometry primitives used by the renderer.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>
#include "core/export.h"

#define GEO_API_VERSION 3
#define GEO_SQUARE(x) ((x) * (x))

namespace geo {

/// Colours a shape can be filled with.
enum class Color : unsigned char { Red, Green = 4, Blue };

/** A point in the plane. */
struct Point {
  double x = 0.0;
  double y = 0.0;

  Point() = default;
  Point(double x, double y) : x(x), y(y) {}

  [[nodiscard]] double distance_to(const Point &other) const;
  bool operator==(const Point &other) const = default;
};

/**
 * Base class of everything drawable.
 */
class Shape {
 public:
  using Ptr = std::unique_ptr<Shape>;

  explicit Shape(std::string name) : name_(std::move(name)) {}
  virtual ~Shape() = default;

  /// Area in square units.
  virtual double area() const = 0;
  virtual std::string describe() const;
  const std::string &name() const noexcept { return name_; }

  static int instances;

 protected:
  void rename(const std::string &name, bool notify = true);
  Color fill_ = Color::Red;

 private:
  std::string name_;
  friend class ShapeRegistry;
};

class Circle final : public Shape {
 public:
  Circle(Point center, double radius);
  double area() const override;
  double radius() const { return radius_; }

  struct Bounds {
    Point min;
    Point max;
  };
  Bounds bounds() const;

 private:
  Point center_;
  double radius_;
};

template <typename T, int N = 2>
class Vec {
 public:
  T &operator[](int i) { return data_[i]; }
  const T &operator[](int i) const { return data_[i]; }
  template <typename U>
  Vec<U, N> cast() const;
  static constexpr int size = N;

 private:
  T data_[N];
};

typedef Vec<double, 2> Vec2;
using Vec3 = Vec<double, 3>;
template <typename T>
using Polygon = std::vector<Vec<T, 2>>;

/// Area of any shape (dispatches virtually).
double area(const Shape &shape);
double area(const Polygon<double> &polygon);

[[nodiscard]] GEO_EXPORT Shape::Ptr make_circle(double x, double y, double r = 1.0);

extern const double kEpsilon;
constexpr double kPi = 3.14159265358979;

}  // namespace geo
