package collections

import (
	"cmp"
	"slices"
	"strings"
)

// Number is any numeric type.
type Number interface {
	~int | ~int64 | ~float64
}

// Sum adds all values.
func Sum[T Number](values ...T) T {
	var total T
	for _, v := range values {
		total += v
	}
	return total
}

// Len is declared before its receiver type on purpose.
func (s *Set[K]) Len() int { return len(s.items) }

// Set is an unordered set of comparable keys.
type Set[K comparable] struct {
	items map[K]struct{}
}

// NewSet builds a set from keys.
func NewSet[K comparable](keys ...K) *Set[K] {
	s := &Set[K]{items: make(map[K]struct{}, len(keys))}
	for _, k := range keys {
		s.Add(k)
	}
	return s
}

func (s *Set[K]) Add(k K) { s.items[k] = struct{}{} }

// Has reports membership.
func (s *Set[K]) Has(k K) (ok bool) {
	_, ok = s.items[k]
	return
}

// Pair holds two values.
type Pair[A, B any] struct {
	First  A
	Second B
}

type (
	// Celsius is a temperature.
	Celsius float64
	// Names is a list of names.
	Names = []string
	visitor func(key string, depth int) bool
)

// Direction of a sort.
type Direction int

const (
	Ascending Direction = iota
	Descending
	maxDepth = 32
)

var defaultNames Names = Names{"a", "b"}

// Sorted returns a sorted copy.
func Sorted[T cmp.Ordered](in []T, dir Direction) []T {
	out := slices.Clone(in)
	slices.Sort(out)
	if dir == Descending {
		slices.Reverse(out)
	}
	return out
}

// Map applies f to each element.
func Map[T, U any](in []T, f func(T) U) []U {
	out := make([]U, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

func (n Names) Join() string {
	upper := Map[string, string](n, strings.ToUpper)
	return strings.Join(upper, ",")
}

// Walk is a method whose receiver type lives in another file.
func (t *Tree) Walk(v visitor) {
	t.walk(v, 0)
}

func example() {
	total := Sum(1, 2, 3)
	p := Pair[int, string]{First: total, Second: "x"}
	_ = Celsius(p.First)
	_ = NewSet[string]("a").Has("a")
}
