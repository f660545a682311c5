// Plugin example.com/corpus/plugins/geo: global maps loaded into the host.
package main

import "strconv"

var (
	Cities map[string]int
	Zones  map[int]string
	// Marker is initialized data in the plugin's image (.noptrdata), used by
	// the host as a pointer target inside a module image.
	Marker = [64]byte{'g', 'e', 'o', '-', 'm', 'a', 'r', 'k', 'e', 'r'}
)

func init() {
	Cities = map[string]int{"paris": 75, "lyon": 69, "nice": 6, "brest": 29}
	Zones = make(map[int]string)
	for i := 0; i < 30; i++ {
		Zones[i] = "zone-" + strconv.Itoa(i)
	}
}

// GetCities returns the plugin's own map value.
func GetCities() map[string]int { return Cities }

func main() {}
