//go:build go1.26 || goexperiment.swissmap

package main

import "unsafe"

// unmapStorage munmaps every table's group array of the swiss map at h
// (map[int64][4]int64: group = ctrl 8 bytes + 8 slots of 40 bytes).
func unmapStorage(h uintptr) {
	const groupSize = 8 + 8*(8+32)
	dirPtr := *(*uintptr)(unsafe.Pointer(h + 16))
	dirLen := *(*int)(unsafe.Pointer(h + 24))
	if dirLen == 0 {
		panic("gVictim is a small map")
	}
	done := map[uintptr]bool{}
	for i := 0; i < dirLen; i++ {
		t := *(*uintptr)(unsafe.Pointer(dirPtr + uintptr(i)*8))
		if done[t] {
			continue
		}
		done[t] = true
		data := *(*uintptr)(unsafe.Pointer(t + 16))
		mask := *(*uint64)(unsafe.Pointer(t + 24))
		munmap("table groups", data, uintptr(mask+1)*groupSize)
	}
}
