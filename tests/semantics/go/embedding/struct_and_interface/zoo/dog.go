package zoo

type Dog struct {
	Base
	tricks []string
}

func (d *Dog) Rest() {
	d.Base.Rest()
	d.wag()
}

func (d *Dog) wag() {}

func Visit(d *Dog) {
	d.Describe()
	d.Rest()
}

func Use(rc ReadCloser) {
	rc.Read()
	rc.Close()
}
