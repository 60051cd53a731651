package gen

type Number interface{ ~int | ~float64 }

func Sum[T Number](xs []T) T {
	var t T
	for _, x := range xs {
		t += x
	}
	return t
}

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }

func NewStack[T any]() *Stack[T] { return &Stack[T]{} }

func Use() {
	s := NewStack[int]()
	s.Push(1)
	Sum([]int{1})
	Sum[float64](nil)
}
