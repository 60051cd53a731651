package server

type Handler struct{}

func (h *Handler) Serve() {}

type Server struct {
	addr string
	h    *Handler
}

func NewServer(addr string) *Server {
	return &Server{addr: addr, h: &Handler{}}
}

func (s *Server) Start() {
	s.h.Serve()
	s.listen()
}

func (s *Server) listen() {}
