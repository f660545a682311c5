//go:build go1.26 || goexperiment.swissmap

package main

import (
	"runtime"
	"unsafe"
)

// mapDecoy has the GC shape of a swiss Map (48 bytes, a pointer at dirPtr
// only) and header-like bytes: used 8e11, a directory of 2^20 tables whose
// dirPtr leads to a 64-byte object.
type mapDecoy struct {
	used       uint64
	seed       uint64
	dirPtr     *[8]uint64
	dirLen     int64
	depthShift uint64
	clearSeq   uint64
}

func heapDecoys() []decoy {
	d := &mapDecoy{used: 800000000000, seed: 0x5eedf00d5eedf00d, dirPtr: new([8]uint64),
		dirLen: 1 << 20, depthShift: 20 | 44<<8}
	keepHeapDecoys = append(keepHeapDecoys, unsafe.Pointer(d))
	return []decoy{{"heap Map: used 8e11, dirLen 2^20, directory of 64 bytes", addrOf(unsafe.Pointer(d))}}
}

func stackDecoys(ch chan<- []decoy) {
	growStack(64)
	var grp [4]uint64
	// dirPtr 3 bytes into a frame word: not 8-aligned.
	mis := [6]uintptr{3, 0x5eedf00d5eedf00d, addrOf(unsafe.Pointer(&grp)) + 3, 0, 0, 0}
	var grp2 [26]uint64
	grp2[0] = 0x808080808080c201 // slot 0 full, slot 1 control byte 0xc2
	bad := [6]uintptr{1, 0x5eedf00d5eedf00d, addrOf(unsafe.Pointer(&grp2)), 0, 0, 0}
	touch(&mis)
	touch(&bad)
	ch <- []decoy{
		{"stack Map: dirPtr not 8-aligned", addrOf(unsafe.Pointer(&mis))},
		{"stack Map: group control byte 0xc2", addrOf(unsafe.Pointer(&bad))},
	}
	<-block
	runtime.KeepAlive(&grp)
	runtime.KeepAlive(&grp2)
	runtime.KeepAlive(&mis)
	runtime.KeepAlive(&bad)
}
