// Shared by every corpus program (copied next to the case's main.go at build
// time by corpus/make-case.sh). It records ground truth about the program's own
// maps, read through unsafe from the live headers, and writes truth.json.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"unsafe"
)

type Module struct {
	File       string `json:"file"`
	Kind       string `json:"kind"`
	PluginPath string `json:"pluginpath"`
}

type Classic struct {
	B          uint8  `json:"B"`
	Flags      uint8  `json:"flags"`
	NOverflow  uint16 `json:"noverflow"`
	Buckets    string `json:"buckets"`
	OldBuckets string `json:"oldbuckets"`
	NEvacuate  uint64 `json:"nevacuate"`
	Extra      string `json:"extra"`
	BucketSize uint16 `json:"bucket_size"`
}

type Swiss struct {
	DirPtr      string `json:"dirPtr"`
	DirLen      int64  `json:"dirLen"`
	GlobalDepth uint8  `json:"globalDepth"`
	GlobalShift uint8  `json:"globalShift"`
	Used        uint64 `json:"used"`
	GroupSize   uint64 `json:"group_size"`
	SlotSize    uint64 `json:"slot_size"`
	ElemOff     uint64 `json:"elem_off"`
	// Go 1.27+: abi.MapType's KeysOff, KeyStride, ElemsOff, ElemStride and
	// whether the group is "interleaved" or "split" (mapsplitgroup).
	Slots      string   `json:"slots,omitempty"`
	KeysOff    uint64   `json:"keys_off,omitempty"`
	KeyStride  uint64   `json:"key_stride,omitempty"`
	ElemsOff   uint64   `json:"elems_off,omitempty"`
	ElemStride uint64   `json:"elem_stride,omitempty"`
	Tables     []string `json:"tables"`
}

type Sample struct {
	Key   interface{} `json:"key"`
	Value interface{} `json:"value"`
}

type Bad struct {
	Field   string `json:"field"`
	Pointer string `json:"pointer"`
}

type MapTruth struct {
	Name    string   `json:"name"`
	Module  string   `json:"module"`
	Package string   `json:"package"`
	HeldBy  string   `json:"held_by"`
	Type    string   `json:"type"`
	Header  string   `json:"header"`
	Count   int      `json:"count"`
	Classic *Classic `json:"classic,omitempty"`
	Swiss   *Swiss   `json:"swiss,omitempty"`
	Samples []Sample `json:"samples"`
	Aliases []string `json:"aliases,omitempty"`
	Verdict string   `json:"verdict"`
	Bad     []Bad    `json:"bad,omitempty"`

	hdr unsafe.Pointer
	typ unsafe.Pointer
}

type Crash struct {
	Signal       string `json:"signal"`
	Code         string `json:"code"`
	FaultAddress string `json:"fault_address"`
	PC           string `json:"pc"`
	Map          string `json:"map"`
}

// Decoy is header-shaped garbage a case plants: no scan may report it.
type Decoy struct {
	What    string `json:"what"`
	Address string `json:"address"`
}

type Truth struct {
	Schema    string      `json:"schema"`
	Case      string      `json:"case"`
	Toolchain string      `json:"toolchain"`
	Impl      string      `json:"impl"`
	Dump      string      `json:"dump"`
	Pid       int         `json:"pid"`
	Exe       string      `json:"exe"`
	Stripped  bool        `json:"stripped"`
	Modules   []Module    `json:"modules"`
	Maps      []*MapTruth `json:"maps"`
	Crash     *Crash      `json:"crash,omitempty"`
	Decoys    []Decoy     `json:"decoys,omitempty"`
	Race      *Race       `json:"race,omitempty"`
}

func hexp(p unsafe.Pointer) string { return hexu(uintptr(p)) }
func hexu(u uintptr) string        { return "0x" + strconv.FormatUint(uint64(u), 16) }

// NewTruth starts the record for this run. make-case.sh passes the dump kind
// and whether the executable was stripped in the environment.
func NewTruth(caseName string) *Truth {
	exe := filepath.Base(os.Args[0])
	return &Truth{
		Schema:    "mapsleuth-truth/1",
		Case:      caseName,
		Toolchain: runtime.Version(),
		Impl:      mapImpl,
		Dump:      envOr("MAPSLEUTH_DUMP", "kernel"),
		Pid:       os.Getpid(),
		Exe:       exe,
		Stripped:  os.Getenv("MAPSLEUTH_STRIPPED") == "1",
		Modules:   []Module{{File: exe, Kind: "exe"}},
		Maps:      []*MapTruth{},
	}
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

// mapHeader returns the header pointer stored in a map variable.
func mapHeader(m interface{}) (hdr, typ unsafe.Pointer) {
	e := (*[2]unsafe.Pointer)(unsafe.Pointer(&m))
	typ = e[0]
	// A map value in an interface is stored directly (it is pointer shaped).
	hdr = e[1]
	return
}

// Add records map m (any map value) with the given sample keys, looked up
// (never iterated: iteration would set classic iterator flags) to get values.
func (t *Truth) Add(name, module, pkg, heldBy string, m interface{}, sampleKeys ...interface{}) *MapTruth {
	rv := reflect.ValueOf(m)
	if rv.Kind() != reflect.Map {
		panic("Add: not a map: " + name)
	}
	hdr, typ := mapHeader(m)
	mt := &MapTruth{
		Name: name, Module: module, Package: pkg, HeldBy: heldBy,
		Type: fmt.Sprintf("%T", m), Header: hexp(hdr), Count: rv.Len(),
		Samples: []Sample{}, Verdict: "ok", hdr: hdr, typ: typ,
	}
	for _, k := range sampleKeys {
		if len(mt.Samples) == 5 {
			break
		}
		v := rv.MapIndex(reflect.ValueOf(k))
		if !v.IsValid() {
			panic(fmt.Sprintf("Add %s: sample key %v not in map", name, k))
		}
		mt.Samples = append(mt.Samples, Sample{Key: k, Value: v.Interface()})
	}
	if hdr != nil {
		readHeader(mt)
	}
	t.Maps = append(t.Maps, mt)
	return mt
}

// Refresh re-reads the header fields (after the program changed them).
func (mt *MapTruth) Refresh() {
	if mt.hdr != nil {
		readHeader(mt)
	}
}

// AddRaw records a map known only by its header address (held through a
// uintptr or unsafe.Pointer), reusing the type of an example map value.
func (t *Truth) AddRaw(name, module, pkg, heldBy string, hdr unsafe.Pointer, example interface{}, count int) *MapTruth {
	_, typ := mapHeader(example)
	mt := &MapTruth{
		Name: name, Module: module, Package: pkg, HeldBy: heldBy,
		Type: fmt.Sprintf("%T", example), Header: hexp(hdr), Count: count,
		Samples: []Sample{}, Verdict: "ok", hdr: hdr, typ: typ,
	}
	readHeader(mt)
	t.Maps = append(t.Maps, mt)
	return mt
}

// Marshal renders the truth; callers write it before doing anything that
// must not allocate (freeing, unmapping, crashing).
func (t *Truth) Marshal() []byte {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// Write writes truth.json to $MAPSLEUTH_TRUTH (default ./truth.json).
func (t *Truth) Write() {
	WriteBytes(t.Marshal())
}

func WriteBytes(b []byte) {
	path := envOr("MAPSLEUTH_TRUTH", "truth.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		panic(err)
	}
}

func readU8(p unsafe.Pointer, off uintptr) uint8 { return *(*uint8)(unsafe.Add(p, off)) }
func readU16(p unsafe.Pointer, off uintptr) uint16 {
	return *(*uint16)(unsafe.Add(p, off))
}
func readU64(p unsafe.Pointer, off uintptr) uint64 {
	return *(*uint64)(unsafe.Add(p, off))
}
func readPtr(p unsafe.Pointer, off uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Add(p, off))
}
func writePtr(p unsafe.Pointer, off uintptr, v uintptr) {
	*(*uintptr)(unsafe.Add(p, off)) = v
}

func unsafePointer(p *byte) unsafe.Pointer { return unsafe.Pointer(p) }
