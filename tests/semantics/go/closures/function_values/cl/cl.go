package cl

func helper() int { return 1 }

type S struct{}

func (s *S) start() {}

func Run(s *S) {
	f := helper
	f()
	g := s.start
	g()
	func() { helper() }()
	h := func() { s.start() }
	h()
	handlers := map[string]func() int{"a": helper}
	handlers["a"]()
}
