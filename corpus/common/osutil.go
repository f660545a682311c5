package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Mapping is one line of /proc/self/maps.
type Mapping struct {
	Start, End uintptr
	Path       string
}

func ReadMaps() []Mapping {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var out []Mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		r := strings.SplitN(fs[0], "-", 2)
		s, _ := strconv.ParseUint(r[0], 16, 64)
		e, _ := strconv.ParseUint(r[1], 16, 64)
		m := Mapping{Start: uintptr(s), End: uintptr(e)}
		if len(fs) >= 6 {
			m.Path = fs[5]
		}
		out = append(out, m)
	}
	return out
}

// Munmap unmaps [addr, addr+n) rounded out to whole 4 KiB pages; addr must be
// page aligned.
func Munmap(addr, n uintptr) {
	if addr%4096 != 0 {
		panic("Munmap: address not page aligned: " + hexu(addr))
	}
	n = (n + 4095) &^ 4095
	if _, _, e := syscall.Syscall(syscall.SYS_MUNMAP, addr, n, 0); e != 0 {
		panic("munmap: " + e.Error())
	}
}

// Finish ends the run the way the dump kind wants: for a kernel core it
// panics (GOTRACEBACK=crash turns that into SIGABRT and a core); for gcore it
// announces readiness in $MAPSLEUTH_READY and waits to be dumped and killed.
func Finish() {
	if os.Getenv("MAPSLEUTH_DUMP") == "gcore" {
		if r := os.Getenv("MAPSLEUTH_READY"); r != "" {
			if err := os.WriteFile(r, []byte("ready\n"), 0o644); err != nil {
				panic(err)
			}
		}
		for {
			time.Sleep(time.Hour)
		}
	}
	runtime.Gosched()
	panic("mapsleuth corpus: deliberate crash for a kernel core")
}

// UnmapStorage munmaps every entry-storage array of map m (the classic bucket
// array, or each swiss table's group array) and marks mt "dangling" with one
// bad pointer per array. Each array must be a large object (>= 32 KiB, its
// own page-aligned span), so no other object shares those pages. The header
// itself stays intact.
func UnmapStorage(mt *MapTruth, m interface{}) {
	fields, ptrs := DataPointers(m)
	sizes := DataSizes(m)
	for i := range ptrs {
		if sizes[i] < 32<<10 || ptrs[i]%4096 != 0 {
			panic("UnmapStorage " + mt.Name + ": " + fields[i] + " " + hexu(ptrs[i]) +
				" is not a page-aligned large object (size " + hexu(sizes[i]) + ")")
		}
	}
	for i := range ptrs {
		Munmap(ptrs[i], sizes[i])
		mt.Bad = append(mt.Bad, Bad{Field: fields[i], Pointer: hexu(ptrs[i])})
	}
	mt.Verdict = "dangling"
	mt.Refresh()
}
