// Case raceread: a goroutine reads a map while another writes it and the
// runtime dies of "concurrent map read and map write" (kernel core). The
// program is corpus/common/race.go.
package main

func main() {
	RunRace("raceread", true)
}
