// Case "locals": maps that no global reaches. They live in the locals of
// several goroutines (in their frames when they do not escape, on the heap
// behind a local when they do), in heap structs, behind interfaces and
// inside other maps. Each goroutine reports its maps to main, which records
// them in truth.json (name "<function> local <variable>[path]", "arg" for
// a parameter) and dies
// with every goroutine still blocked holding them; one map no variable
// holds ("(heap) ...": an unsafe.Pointer keeps it). Decoys (decoy_*.go) are
// header-shaped garbage the scans must not report: their addresses are in
// truth.decoys. Built and dumped by corpus/make-case.sh.
package main

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"
)

// Session is a small heap struct (no malloc header) holding a map.
type Session struct {
	User  string
	Attrs map[string]string
}

// Server is over 512 bytes: from Go 1.22 its heap object starts with a
// malloc header naming its type.
type Server struct {
	Name     string
	Sessions map[int64]*Session
	Routes   map[string]int32
	Stats    [70]uint64
}

// Limiter is a small heap struct holding a map of its own key type.
type Limiter struct {
	Burst map[uint32]uint16
}

// Named is satisfied by a named map type.
type Named interface{ Name() string }

type byName map[string]float64

func (b byName) Name() string { return "byName" }

// report is what a goroutine tells main about one of its maps: the map
// itself when it is on the heap anyway, or its header address when it
// lives in the goroutine's frame (sending the map would make it escape).
type report struct {
	name string
	held string
	m    interface{}
	addr uintptr
	as   func(uintptr) interface{}
	keys []interface{}
}

var block = make(chan struct{})

// growStack uses about n KiB of stack, so that the goroutine's stack does
// not grow (and move its frames) after its maps are recorded.
func growStack(n int) byte {
	var buf [1024]byte
	buf[n%len(buf)] = byte(n)
	if n > 0 {
		return growStack(n-1) + buf[0]
	}
	return buf[0]
}

func headerOf(p unsafe.Pointer) uintptr { return uintptr(*(*unsafe.Pointer)(p)) }

// escServer and escLimiter make serve's structs escape to the heap (a
// struct used only in its function would live in its frame); they are
// nil again before anything is recorded, so no global leads there.
var (
	escServer  *Server
	escLimiter *Limiter
)

// serve holds a Server and a Limiter only in its locals.
func serve(out chan<- []report) {
	srv := &Server{Name: "api", Sessions: map[int64]*Session{}, Routes: map[string]int32{}}
	for i := int64(1); i <= 3; i++ {
		s := &Session{User: "user-" + strconv.FormatInt(i, 10), Attrs: map[string]string{}}
		s.Attrs["role"] = "r" + strconv.FormatInt(i, 10)
		s.Attrs["lang"] = "go"
		srv.Sessions[i*100] = s
	}
	for i, r := range []string{"/", "/login", "/logout", "/metrics"} {
		srv.Routes[r] = int32(i * 10)
	}
	escServer = srv
	escServer = nil
	lim := &Limiter{Burst: map[uint32]uint16{}}
	escLimiter = lim
	escLimiter = nil
	for i := uint32(0); i < 12; i++ {
		lim.Burst[i*3] = uint16(i + 500)
	}
	out <- []report{
		{name: "main.serve local srv.Sessions", held: "heap-struct", m: srv.Sessions,
			keys: []interface{}{int64(100), int64(200), int64(300)}},
		{name: "main.serve local srv.Routes", held: "heap-struct", m: srv.Routes,
			keys: []interface{}{"/", "/login", "/metrics"}},
		{name: `main.serve local srv.Sessions[100].Attrs`, held: "map-value", m: srv.Sessions[100].Attrs,
			keys: []interface{}{"role", "lang"}},
		{name: "main.serve local lim.Burst", held: "heap-struct", m: lim.Burst,
			keys: []interface{}{uint32(0), uint32(3), uint32(33)}},
	}
	<-block
	runtime.KeepAlive(srv)
	runtime.KeepAlive(lim)
}

// count keeps two maps that do not escape: the compiler puts their headers
// and first buckets or groups in its frame.
func count(out chan<- []report) {
	growStack(64)
	seen := make(map[int32]bool, 8)
	for i := int32(0); i < 5; i++ {
		seen[i*i] = i%2 == 0
	}
	hits := make(map[string]uint8, 4)
	hits["GET"] = 7
	hits["PUT"] = 2
	hits["DELETE"] = 1
	out <- []report{
		{name: "main.count local seen", held: "stack", addr: headerOf(unsafe.Pointer(&seen)),
			as: func(a uintptr) interface{} {
				var m map[int32]bool
				*(*uintptr)(unsafe.Pointer(&m)) = a
				return m
			}, keys: []interface{}{int32(0), int32(1), int32(16)}},
		{name: "main.count local hits", held: "stack", addr: headerOf(unsafe.Pointer(&hits)),
			as: func(a uintptr) interface{} {
				var m map[string]uint8
				*(*uintptr)(unsafe.Pointer(&m)) = a
				return m
			}, keys: []interface{}{"GET", "PUT", "DELETE"}},
	}
	<-block
	runtime.KeepAlive(seen)
	runtime.KeepAlive(hits)
}

// iface holds maps only through interface values.
func iface(out chan<- []report) {
	var n Named = byName{"pi": 3.14159, "e": 2.71828, "phi": 1.61803}
	var e interface{} = map[uint64][]string{7: {"a", "b"}, 9: {"c"}}
	out <- []report{
		{name: "main.iface local n", held: "interface", m: map[string]float64(n.(byName)),
			keys: []interface{}{"pi", "e"}},
		{name: "main.iface local e", held: "interface", m: e},
	}
	<-block
	runtime.KeepAlive(n)
	runtime.KeepAlive(e)
}

// nested holds a map of maps.
func nested(out chan<- []report) {
	tree := map[string]map[int16]float32{
		"left":  {1: 0.5, 2: 0.25},
		"right": {3: 0.125},
	}
	out <- []report{
		{name: "main.nested local tree", held: "stack-local", m: tree,
			keys: []interface{}{}},
		{name: `main.nested local tree["left"]`, held: "map-value", m: tree["left"],
			keys: []interface{}{int16(1), int16(2)}},
		{name: `main.nested local tree["right"]`, held: "map-value", m: tree["right"],
			keys: []interface{}{int16(3)}},
	}
	<-block
	runtime.KeepAlive(tree)
}

// keepHidden holds maps only through unsafe.Pointer: no typed walk
// follows it, and the goroutine that made them holds them no longer.
var keepHidden []unsafe.Pointer

// hidden makes a map whose group or bucket array is a large object (over
// 32 KiB: from Go 1.22 its type is in its span, mspan.largeType, not in a
// malloc header), keeps it only through keepHidden, and returns: no frame
// holds it.
func hidden(out chan<- []report) {
	// Keys hold pointers: the runtime records no type for pointer-free
	// (noscan) objects.
	big := make(map[string][2]int64)
	for i := int64(0); i < 1000; i++ {
		big["k"+strconv.FormatInt(i, 10)] = [2]int64{i, i * i}
	}
	keepHidden = append(keepHidden, *(*unsafe.Pointer)(unsafe.Pointer(&big)))
	out <- []report{
		{name: "(heap) main.hidden big", held: "unsafe", m: big,
			keys: []interface{}{"k0", "k7", "k999"}},
	}
}

// Spinner is held only by a goroutine that never blocks, in a register.
type Spinner struct {
	n    int
	Seen map[uint8]string
}

var escSpinner *Spinner

// newSpinner makes a Spinner and reports its map; its caller keeps no
// local of it, so only spinLoop's argument holds it.
func newSpinner(out chan<- []report) *Spinner {
	s := &Spinner{n: 1, Seen: map[uint8]string{1: "one", 2: "two", 3: "three"}}
	escSpinner = s
	escSpinner = nil
	out <- []report{
		{name: "main.spinLoop arg s.Seen", held: "register", m: s.Seen,
			keys: []interface{}{uint8(1), uint8(3)}},
	}
	return s
}

// spinLoop loops without a call, so its argument stays in a register and
// never reaches its frame: when the core is taken the runtime has
// preempted it (runtime.asyncPreempt saved its registers) or it runs on
// its thread (whose registers the core has).
//
//go:noinline
func spinLoop(s *Spinner) int {
	x := 0
	for i := 0; ; i++ {
		x += s.n + i
		if x == -7 {
			return x
		}
	}
}

func spin(out chan<- []report) {
	spinLoop(newSpinner(out))
}

func main() {
	t := NewTruth("locals")
	exe := t.Exe
	out := make(chan []report)
	go serve(out)
	go count(out)
	go iface(out)
	go nested(out)
	go hidden(out)
	go spin(out)
	// main copies the reports and clears what it received, so that no
	// typed value of its own leads to the goroutines' maps.
	var reps []report
	for i := 0; i < 6; i++ {
		rs := <-out
		reps = append(reps, rs...)
		for j := range rs {
			rs[j] = report{}
		}
	}
	decoys := makeDecoys()
	runtime.GC()
	debug.SetGCPercent(-1)
	for _, r := range reps {
		m := r.m
		if m == nil {
			m = r.as(r.addr)
		}
		t.Add(r.name, exe, "main", r.held, m, r.keys...)
	}
	for _, d := range decoys {
		t.Decoys = append(t.Decoys, Decoy{What: d.what, Address: hexu(d.addr)})
	}
	for i := range reps {
		reps[i] = report{}
	}
	t.Write()
	Finish()
}
