package gen

type Named interface {
	Name() string
}

type User struct{}

func (u User) Name() string { return "u" }

type Box[T Named] struct {
	item T
}

func (b *Box[T]) Label() string { return b.item.Name() }

func Greet[T Named](xs []T) {
	for _, x := range xs {
		x.Name()
	}
}

func Use() {
	Greet([]User{{}})
	b := &Box[User]{}
	b.Label()
}
