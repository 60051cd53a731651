package sh

import "strings"

type T struct{}

func (t T) Do() {}

func Do() {}

func A(strings T) { strings.Do() }

func B() {
	Do := func() {}
	Do()
}

func C() {
	var t T
	t.Do()
	Do()
}

func len(x int) int { return x }

func D() string {
	len(1)
	return strings.ToUpper("x")
}
