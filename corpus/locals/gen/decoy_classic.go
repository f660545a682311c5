//go:build !go1.26 && !goexperiment.swissmap

package main

import (
	"runtime"
	"unsafe"
)

// hmapDecoy has the GC shape of a classic hmap (48 bytes, pointers at
// buckets, oldbuckets and extra) and header-like bytes: B 40 and count 8e11,
// with pointers to consecutive small heap objects.
type hmapDecoy struct {
	count      uint64
	flagsBHash uint64
	buckets    *[8]uint64
	oldbuckets *[8]uint64
	nevacuate  uint64
	extra      *[8]uint64
}

func heapDecoys() []decoy {
	d := &hmapDecoy{count: 800000000000, flagsBHash: 40<<8 | 0x5eedf00d<<32,
		buckets: new([8]uint64), oldbuckets: new([8]uint64), extra: new([8]uint64)}
	keepHeapDecoys = append(keepHeapDecoys, unsafe.Pointer(d))
	return []decoy{{"heap hmap: B 40, count 8e11, pointers to small objects", addrOf(unsafe.Pointer(d))}}
}

func stackDecoys(ch chan<- []decoy) {
	growStack(64)
	var buf [4]uint64
	// buckets 3 bytes into a frame word: not 8-aligned.
	mis := [6]uintptr{2, 0x5eedf00d << 32, addrOf(unsafe.Pointer(&buf)) + 3, 0, 0, 0}
	var bkt [26]uint64
	bkt[0] = 0x02 // tophash: evacuatedX in a current bucket
	bad := [6]uintptr{1, 0x5eedf00d << 32, addrOf(unsafe.Pointer(&bkt)), 0, 0, 0}
	touch(&mis)
	touch(&bad)
	ch <- []decoy{
		{"stack hmap: buckets not 8-aligned", addrOf(unsafe.Pointer(&mis))},
		{"stack hmap: bucket with tophash 2 (evacuated) in a current bucket", addrOf(unsafe.Pointer(&bad))},
	}
	<-block
	runtime.KeepAlive(&buf)
	runtime.KeepAlive(&bkt)
	runtime.KeepAlive(&mis)
	runtime.KeepAlive(&bad)
}
