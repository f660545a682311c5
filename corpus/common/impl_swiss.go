//go:build go1.26 || goexperiment.swissmap

// Swiss-table maps: Go 1.24, 1.25 (default), 1.26 and 1.27.
package main

import "unsafe"

const mapImpl = "swiss"

// internal/runtime/maps.Map offsets (Go sources: src/internal/runtime/maps/map.go).
const (
	mapUsed        = 0
	mapDirPtr      = 16
	mapDirLen      = 24
	mapGlobalDepth = 32
	mapGlobalShift = 33
)

// table offsets (Go sources: src/internal/runtime/maps/table.go).
const (
	tableIndex      = 8
	tableGroupsData = 16
	tableLengthMask = 24
)

// abi.SwissMapType / abi.MapType: GroupSize@80 in every release; the slot
// fields that follow are read by readSlotLayout (maptype_*.go).
const mapTypeGroupSize = 80

// Map.writing (internal/runtime/maps/map.go), for race.go.
const (
	headerWritingOff  = 34
	headerWritingMask = 0xff
)

func tablesOf(h unsafe.Pointer) []unsafe.Pointer {
	dirLen := int(readU64(h, mapDirLen))
	dir := readPtr(h, mapDirPtr)
	var out []unsafe.Pointer
	for i := 0; i < dirLen; i++ {
		t := readPtr(dir, uintptr(i)*8)
		if int(readU64(t, tableIndex)) != i {
			continue // same table as an earlier directory slot
		}
		out = append(out, t)
	}
	return out
}

func readHeader(mt *MapTruth) {
	h := mt.hdr
	s := &Swiss{
		DirPtr:      hexp(readPtr(h, mapDirPtr)),
		DirLen:      int64(readU64(h, mapDirLen)),
		GlobalDepth: readU8(h, mapGlobalDepth),
		GlobalShift: readU8(h, mapGlobalShift),
		Used:        readU64(h, mapUsed),
		GroupSize:   readU64(mt.typ, mapTypeGroupSize),
		Tables:      []string{},
	}
	readSlotLayout(mt.typ, s)
	// A redirected dirPtr no longer leads to a directory: list no tables.
	dirBad := false
	for _, b := range mt.Bad {
		dirBad = dirBad || b.Field == "dirPtr"
	}
	if !dirBad {
		for _, t := range tablesOf(h) {
			s.Tables = append(s.Tables, hexp(t))
		}
	}
	mt.Swiss = s
	if int(s.Used) != mt.Count {
		panic("Map.used disagrees with len for " + mt.Name)
	}
}

// DataPointers returns the pointer fields holding the map's entry storage:
// the single group of a small map ("dirPtr"), else each table's group array
// ("tables[i].groups.data", i indexing the truth's tables list).
func DataPointers(m interface{}) (fields []string, ptrs []uintptr) {
	h, _ := mapHeader(m)
	if readU64(h, mapDirLen) == 0 {
		return []string{"dirPtr"}, []uintptr{uintptr(readPtr(h, mapDirPtr))}
	}
	for i, t := range tablesOf(h) {
		fields = append(fields, "tables["+itoa(i)+"].groups.data")
		ptrs = append(ptrs, uintptr(readPtr(t, tableGroupsData)))
	}
	return
}

// DataSizes returns the byte size of each storage array from DataPointers.
func DataSizes(m interface{}) []uintptr {
	h, typ := mapHeader(m)
	gs := uintptr(readU64(typ, mapTypeGroupSize))
	if readU64(h, mapDirLen) == 0 {
		return []uintptr{gs}
	}
	var out []uintptr
	for _, t := range tablesOf(h) {
		out = append(out, gs*(uintptr(readU64(t, tableLengthMask))+1))
	}
	return out
}

// Redirect points the map's root storage pointer (dirPtr) at p and returns
// the field name.
func Redirect(m interface{}, p uintptr) string {
	h, _ := mapHeader(m)
	writePtr(h, mapDirPtr, p)
	return "dirPtr"
}

func Growing(m interface{}) bool { return false }

func NOverflow(m interface{}) int { return 0 }

func NTables(m interface{}) int {
	h, _ := mapHeader(m)
	return len(tablesOf(h))
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
