// Package server wires HTTP handlers to a storage backend.
package server

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
	"sync"

	_ "net/http/pprof"

	. "example.com/shop/internal/testutil"
	"example.com/shop/store"
	"github.com/google/uuid"
)

// ErrNotFound is returned when an item does not exist.
var ErrNotFound = errors.New("not found")

// Store persists items.
type Store interface {
	// Get loads one item.
	Get(ctx context.Context, id string) (*store.Item, error)
	Put(ctx context.Context, item *store.Item) error
	fmt.Stringer
}

// Server serves the shop API.
//
//go:generate mockgen -source=server.go
type Server struct {
	sync.Mutex
	*stdlog.Logger

	// Addr is the listen address.
	Addr    string `json:"addr"`
	store   Store
	Timeout int
	stats   struct {
		hits, misses int
	}
}

// New returns a server listening on addr.
func New(addr string, s Store) *Server {
	srv := &Server{Addr: addr, store: s}
	srv.Logger = stdlog.New(nil, "shop ", 0)
	return srv
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	id := r.URL.Query().Get("id")
	item, err := s.store.Get(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		s.stats.misses++
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	s.stats.hits++
	fmt.Fprintf(w, "%v", item)
}

func (s Server) String() string {
	return fmt.Sprintf("server(%s)", s.Addr)
}

func (s *Server) warm(ids ...string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			_, _ = s.store.Get(context.Background(), id)
		}(id)
	}
	wg.Wait()
	done := make(chan struct{}, len(ids))
	close(done)
	Check(len(ids) > 0)
}

func newID() string {
	return uuid.NewString()
}
