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
