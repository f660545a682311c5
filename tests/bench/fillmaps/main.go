// fillmaps fills the heap with Go maps for mapsleuth's benchmark
// (tests/bench/run-bench.sh): -small small maps of varied sizes (10,000 by
// default), string-keyed and medium ones, and large ones (many tables in
// swiss maps, overflow buckets in classic ones) until the live heap holds
// -mib MiB. Every
// map is reachable from a global; some globals hold a map directly. Once
// full it prints "ready PID HEAPBYTES" and sleeps until killed (the script
// dumps it with gcore).
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"time"
)

type Blob [56]byte

type Record struct {
	ID    int64
	Name  string
	Score float64
}

// Globals holding maps directly (dlv prints these).
var (
	gIDs      map[int64]int64
	gNames    map[string]int
	gBlobs    map[int64]Blob
	gRecords  map[int]*Record
	gSmall    map[int]int
	gNested   map[string]map[int]string
	gEmpty    map[string]string
	gRegistry []map[int]int      // the many small maps
	gMedium   []map[int64]Blob   // medium maps, 1 Ki to 16 Ki entries
	gLarge    []map[int64]Blob   // large maps, the bulk of the bytes
	gStrMaps  []map[string]int64 // string keys: pointers into the heap
)

func main() {
	mib := flag.Int("mib", 1024, "MiB of live heap to fill")
	small := flag.Int("small", 10000, "number of small maps")
	flag.Parse()
	rng := rand.New(rand.NewSource(1))
	target := int64(*mib) << 20
	var used int64 // rough bytes of map storage, until measured

	// Small maps: 0 to 64 entries, some empty, some with one entry.
	gRegistry = make([]map[int]int, *small)
	for i := range gRegistry {
		n := rng.Intn(65)
		m := make(map[int]int)
		for j := 0; j < n; j++ {
			m[rng.Int()] = j
		}
		gRegistry[i] = m
		used += int64(n)*16 + 48
	}
	// String-keyed maps.
	gStrMaps = make([]map[string]int64, 200)
	for i := range gStrMaps {
		n := 16 + rng.Intn(2000)
		m := make(map[string]int64, n/4)
		for j := 0; j < n; j++ {
			m[fmt.Sprintf("key-%d-%d", i, j)] = int64(j)
		}
		gStrMaps[i] = m
		used += int64(n) * 40
	}
	// Medium maps.
	for used < target/4 && len(gMedium) < 400 {
		n := 1024 + rng.Intn(15*1024)
		m := make(map[int64]Blob)
		for j := 0; j < n; j++ {
			m[rng.Int63()] = Blob{byte(j)}
		}
		gMedium = append(gMedium, m)
		used += int64(n) * 80
	}
	// Globals of every kind.
	gIDs = make(map[int64]int64)
	for j := 0; j < 100000; j++ {
		gIDs[int64(j)*7919] = int64(j)
	}
	gNames = map[string]int{"alpha": 1, "beta": 2, "gamma": 3}
	gBlobs = make(map[int64]Blob)
	for j := 0; j < 50000; j++ {
		gBlobs[int64(j)] = Blob{1, 2, 3}
	}
	gRecords = make(map[int]*Record)
	for j := 0; j < 20000; j++ {
		gRecords[j] = &Record{ID: int64(j), Name: fmt.Sprint("r", j), Score: float64(j) / 3}
	}
	gSmall = map[int]int{1: 1, 2: 4, 3: 9}
	gNested = map[string]map[int]string{"a": {1: "one"}, "b": {2: "two", 3: "three"}}
	gEmpty = make(map[string]string)
	used += 100000*16 + 50000*64 + 20000*(16+48)
	// Large maps until the live heap reaches the target: grown one insert
	// at a time, so they have many tables (swiss) or overflow buckets
	// (classic). The live heap is measured after a collection, which also
	// frees the tables the growth left behind.
	var ms runtime.MemStats
	for {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if int64(ms.HeapAlloc) >= target {
			break
		}
		n := 1 << 20
		if rest := (target - int64(ms.HeapAlloc)) / 100; rest < int64(n) {
			n = int(rest) + 1
		}
		m := make(map[int64]Blob)
		for j := 0; j < n; j++ {
			m[rng.Int63()] = Blob{byte(j), byte(j >> 8)}
		}
		gLarge = append(gLarge, m)
	}
	// Nothing moves or is freed between here and the dump.
	debug.SetGCPercent(-1)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	maps := len(gRegistry) + len(gStrMaps) + len(gMedium) + len(gLarge) + 8
	fmt.Printf("ready %d %d %d\n", os.Getpid(), ms.HeapAlloc, maps)
	for {
		time.Sleep(time.Hour)
	}
}
