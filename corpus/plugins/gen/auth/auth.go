// Plugin example.com/corpus/plugins/auth: global maps loaded into the host.
package main

import "strconv"

var (
	Users  map[string]string
	Tokens map[int64]bool
	Perms  map[string]int
)

func init() {
	Users = map[string]string{"root": "admin", "ann": "staff", "bob": "guest"}
	Tokens = make(map[int64]bool)
	for i := int64(0); i < 20; i++ {
		Tokens[1000+i] = i%2 == 0
	}
	Perms = make(map[string]int)
	for i := 0; i < 200; i++ {
		Perms["perm-"+strconv.Itoa(i)] = i
	}
}

func main() {}
