//go:build go1.27

package main

import "unsafe"

// abi.MapType (1.27, src/internal/abi/map.go): KeysOff@88, KeyStride@96,
// ElemsOff@104, ElemStride@112, ElemOff@120. With GOEXPERIMENT=mapsplitgroup
// keys and elements are two arrays and ElemOff is 0; otherwise the strides
// are the slot size and ElemOff the element's offset in a slot.
func readSlotLayout(typ unsafe.Pointer, s *Swiss) {
	s.KeysOff = readU64(typ, 88)
	s.KeyStride = readU64(typ, 96)
	s.ElemsOff = readU64(typ, 104)
	s.ElemStride = readU64(typ, 112)
	if splitGroup {
		s.Slots = "split"
		return
	}
	s.Slots = "interleaved"
	s.SlotSize = s.KeyStride
	s.ElemOff = readU64(typ, 120)
}
