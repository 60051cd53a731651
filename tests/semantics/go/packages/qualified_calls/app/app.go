package app

import (
	"strings"

	u "example.com/app/util"
)

func Run() {
	u.Fetch()
	c := u.New()
	c.Get()
	u.Default.Get()
	_ = strings.TrimSpace(" x ")
}
