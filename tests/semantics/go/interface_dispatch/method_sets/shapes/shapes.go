package shapes

type Shape interface {
	Area() float64
}

type Circle struct{ R float64 }

func (c Circle) Area() float64 { return 3.14 * c.R * c.R }

type Square struct{ S float64 }

func (s *Square) Area() float64 { return s.S * s.S }

func Total(shapes []Shape) float64 {
	t := 0.0
	for _, s := range shapes {
		t += s.Area()
	}
	return t
}

func One(c Circle) float64 { return c.Area() }
