//go:build !go1.26 && !goexperiment.swissmap

package main

import "unsafe"

// unmapStorage munmaps the bucket array of the classic map at h
// (map[int64][4]int64: bucket = tophash 8 + keys 64 + elems 256 + overflow 8).
func unmapStorage(h uintptr) {
	const bucketSize = 8 + 8*8 + 8*32 + 8
	b := *(*uint8)(unsafe.Pointer(h + 9))
	buckets := *(*uintptr)(unsafe.Pointer(h + 16))
	munmap("buckets", buckets, (uintptr(1)<<b)*bucketSize)
}
