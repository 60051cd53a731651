package main

import (
	"fmt"

	"example.com/app/server"
)

func main() {
	s := server.NewServer(":80")
	s.Start()
	t := &server.Server{}
	t.Start()
	var u server.Server
	u.Start()
	fmt.Println(len("x"))
}
