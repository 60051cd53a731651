package zoo

type Base struct{ name string }

func (b *Base) Describe() string { return b.name }

func (b *Base) Rest() {}

type Reader interface{ Read() string }

type ReadCloser interface {
	Reader
	Close()
}
