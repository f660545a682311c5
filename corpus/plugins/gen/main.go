// Case "plugins": the host loads two plugins (geo.so, auth.so, built from
// this module's geo/ and auth/ packages) that hold global maps. The host
// copies one plugin map into its own global (an alias), points one plugin
// map's storage pointer into the geo plugin's data (verdict "foreign") and
// one just past the end of a mapping with nothing after it (verdict
// "dangling"). Helpers come from corpus/common/.
package main

import (
	"os"
	"path/filepath"
	"plugin"
	"reflect"
	"runtime/debug"
	"sort"
)

var (
	gLocal  map[string]int
	gCities map[string]int // alias of geo's Cities
)

type loaded struct {
	p    *plugin.Plugin
	file string
	path string
}

func open(dir, file string) loaded {
	p, err := plugin.Open(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	pp := reflect.ValueOf(p).Elem().FieldByName("pluginpath").String()
	return loaded{p: p, file: file, path: pp}
}

func (l loaded) sym(name string) interface{} {
	s, err := l.p.Lookup(name)
	if err != nil {
		panic(err)
	}
	return s
}

// gapAfterMapping returns the end of the lowest mapping that is followed by
// at least 1 MiB with nothing mapped (usually the executable's .bss).
func gapAfterMapping() uintptr {
	ms := ReadMaps()
	sort.Slice(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	for i := 0; i+1 < len(ms); i++ {
		if ms[i+1].Start-ms[i].End >= 1<<20 {
			return ms[i].End
		}
	}
	panic("no mapping followed by a gap")
}

func main() {
	debug.SetGCPercent(-1)
	t := NewTruth("plugins")
	exe := t.Exe
	exePath, err := os.Executable()
	if err != nil {
		panic(err)
	}
	dir := filepath.Dir(exePath)

	geo := open(dir, "geo.so")
	auth := open(dir, "auth.so")
	t.Modules = append(t.Modules,
		Module{File: geo.file, Kind: "plugin", PluginPath: geo.path},
		Module{File: auth.file, Kind: "plugin", PluginPath: auth.path})

	gLocal = map[string]int{"host": 1, "local": 2}
	gCities = geo.sym("GetCities").(func() map[string]int)()

	cities := *geo.sym("Cities").(*map[string]int)
	zones := *geo.sym("Zones").(*map[int]string)
	marker := geo.sym("Marker").(*[64]byte)
	users := *auth.sym("Users").(*map[string]string)
	tokens := *auth.sym("Tokens").(*map[int64]bool)
	perms := *auth.sym("Perms").(*map[string]int)

	t.Add("main.gLocal", exe, "main", "global", gLocal, "host", "local")
	c := t.Add(geo.path+".Cities", geo.file, geo.path, "global", cities, "paris", "lyon", "nice", "brest")
	c.Aliases = []string{"main.gCities"}
	z := t.Add(geo.path+".Zones", geo.file, geo.path, "global", zones, 0, 1, 29)
	t.Add(auth.path+".Users", auth.file, auth.path, "global", users, "root", "ann", "bob")
	k := t.Add(auth.path+".Tokens", auth.file, auth.path, "global", tokens, int64(1000), int64(1001), int64(1019))
	t.Add(auth.path+".Perms", auth.file, auth.path, "global", perms, "perm-0", "perm-199")

	// Into the geo plugin's image: its initialized Marker array.
	foreign := uintptr(unsafePointer(&marker[0]))
	f := Redirect(zones, foreign)
	z.Verdict, z.Bad = "foreign", []Bad{{Field: f, Pointer: hexu(foreign)}}
	z.Refresh()

	// Just past the end of a mapping, where nothing is mapped.
	past := gapAfterMapping()
	f = Redirect(tokens, past)
	k.Verdict, k.Bad = "dangling", []Bad{{Field: f, Pointer: hexu(past)}}
	k.Refresh()

	t.Write()
	Finish()
}
