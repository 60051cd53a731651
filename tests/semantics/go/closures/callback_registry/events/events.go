package events

var registry = map[string]func(){}

func cleanup() {}

func init() {
	registry["cleanup"] = cleanup
}

// Run calls whatever was registered under name.
func Run(name string) {
	registry[name]()
}

type Service struct {
	hooks []func()
}

func (s *Service) start() {}

func (s *Service) Init() {
	s.hooks = append(s.hooks, s.start)
}

func (s *Service) Fire() {
	for _, h := range s.hooks {
		h()
	}
}
