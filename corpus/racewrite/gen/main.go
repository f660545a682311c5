// Case racewrite: two goroutines write one map without a lock and the
// runtime dies of "concurrent map writes" (kernel core); the gcore variant
// is dumped while the writer is inside the map write. The program is
// corpus/common/race.go.
package main

func main() {
	RunRace("racewrite", false)
}
