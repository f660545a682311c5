//go:build !go1.27

package main

import "unsafe"

// abi.SwissMapType (1.24, 1.25) / abi.MapType (1.26): SlotSize@88,
// ElemOff@96 (Go sources: src/internal/abi/map_swiss.go, map.go).
func readSlotLayout(typ unsafe.Pointer, s *Swiss) {
	s.SlotSize = readU64(typ, 88)
	s.ElemOff = readU64(typ, 96)
}
