//go:build !go1.26 && !goexperiment.swissmap

// Classic bucket maps: Go 1.19-1.23, and 1.24/1.25 with GOEXPERIMENT=noswissmap.
package main

import "unsafe"

const mapImpl = "classic"

// runtime.hmap offsets (Go sources: src/runtime/map.go, hmap); extra is at hmapExtraOff (40 or 48).
const (
	hmapCount      = 0
	hmapFlags      = 8
	hmapB          = 9
	hmapNOverflow  = 10
	hmapBuckets    = 16
	hmapOldBuckets = 24
	hmapNEvacuate  = 32
)

// maptype: BucketSize uint16 at 82 (Go sources: cmd/compile/internal/reflectdata/reflect.go, MapBucketType).
const mapTypeBucketSize = 82

// hmap.flags&hashWriting (runtime/map.go: hashWriting = 4), for race.go.
const (
	headerWritingOff  = hmapFlags
	headerWritingMask = 4
)

func readHeader(mt *MapTruth) {
	h := mt.hdr
	mt.Classic = &Classic{
		B:          readU8(h, hmapB),
		Flags:      readU8(h, hmapFlags),
		NOverflow:  readU16(h, hmapNOverflow),
		Buckets:    hexp(readPtr(h, hmapBuckets)),
		OldBuckets: hexp(readPtr(h, hmapOldBuckets)),
		NEvacuate:  readU64(h, hmapNEvacuate),
		Extra:      hexp(readPtr(h, hmapExtraOff)),
		BucketSize: readU16(mt.typ, mapTypeBucketSize),
	}
	if int(readU64(h, hmapCount)) != mt.Count {
		panic("hmap.count disagrees with len for " + mt.Name)
	}
}

// DataPointers returns the pointer fields holding the map's entry storage:
// for classic maps the bucket array (field "buckets").
func DataPointers(m interface{}) (fields []string, ptrs []uintptr) {
	h, _ := mapHeader(m)
	return []string{"buckets"}, []uintptr{uintptr(readPtr(h, hmapBuckets))}
}

// DataSizes returns the byte size of each storage array from DataPointers.
func DataSizes(m interface{}) []uintptr {
	h, typ := mapHeader(m)
	b := readU8(h, hmapB)
	n := uintptr(1) << b
	if b >= 4 {
		n += uintptr(1) << (b - 4) // pre-allocated overflow buckets (size class rounding ignored)
	}
	return []uintptr{n * uintptr(readU16(typ, mapTypeBucketSize))}
}

// Redirect points the map's root storage pointer (buckets) at p and returns
// the field name.
func Redirect(m interface{}, p uintptr) string {
	h, _ := mapHeader(m)
	writePtr(h, hmapBuckets, p)
	return "buckets"
}

// Growing reports whether a classic map is caught mid-growth.
func Growing(m interface{}) bool {
	h, _ := mapHeader(m)
	return readPtr(h, hmapOldBuckets) != nil
}

func NOverflow(m interface{}) int {
	h, _ := mapHeader(m)
	return int(readU16(h, hmapNOverflow))
}

func NTables(m interface{}) int { return 0 }

var _ = unsafe.Pointer(nil)
