// Case "clean": many kinds of healthy maps. Every map recorded in truth.json
// has verdict "ok". Built and dumped by corpus/make-case.sh; the map-reading
// helpers (truth.go, impl_*.go, osutil.go) come from corpus/common/.
package main

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"
)

type Node struct {
	ID   int
	Next *Node
}

type Point struct{ X, Y int32 }

// BigKey and Big are larger than 128 bytes, so the map stores pointers to
// them in its slots.
type BigKey struct {
	Tag  [122]byte
	Seq  int64
}

type Big struct {
	Name string
	Pad  [184]byte
}

type Holder struct {
	Label string
	M     map[string]int
}

var (
	gStrInt    map[string]int
	gIntStr    map[int]string
	gBoolStr   map[bool]string
	gPtrPtr    map[*Node]*Node
	gStructKey map[Point]string
	gStructVal map[string]Point
	gBigKey    map[BigKey]int
	gBigVal    map[int]Big
	gNested    map[string]map[int]string
	gEmpty     map[string]int
	gNil       map[string]int
	gLarge     map[int64]string
	gGrowing   map[int]int
	gSmall     map[string]int
	gHolder    Holder
	gSlice     []map[int]int
	gArray     [3]map[string]string
	gMapPtr    *map[string]int

	// gHiddenAddr holds a map header as a plain integer: no typed reference
	// reaches that map (the GC is off by then, so it stays).
	gHiddenAddr uintptr
	gStackAddr  uintptr
	gBlock      = make(chan struct{})
	gGarbage    [][]byte
)

func nodes(n int) []*Node {
	out := make([]*Node, n)
	for i := range out {
		out[i] = &Node{ID: i}
		if i > 0 {
			out[i-1].Next = out[i]
		}
	}
	return out
}

// growStack uses about n KiB of stack, so that the goroutine's stack is
// large before the map is made: a later growth would copy the stack and
// move the map away from the address the truth records.
func growStack(n int) byte {
	var buf [1024]byte
	buf[n%len(buf)] = byte(n)
	if n > 0 {
		return growStack(n-1) + buf[0]
	}
	return buf[0]
}

func stackOnly(ready chan<- uintptr) {
	growStack(64)
	m := make(map[string]int, 4)
	for i := 0; i < 6; i++ {
		m["stack-"+strconv.Itoa(i)] = i * 11
	}
	ready <- uintptr(*(*unsafe.Pointer)(unsafe.Pointer(&m)))
	<-gBlock
	runtime.KeepAlive(m)
}

// gEscape makes the hidden map escape to the heap: a uintptr alone does
// not, and a map left in makeHidden's frame would die with it.
var gEscape map[string]string

func makeHidden() uintptr {
	m := make(map[string]string)
	m["hidden-a"] = "A"
	m["hidden-b"] = "B"
	m["hidden-c"] = "C"
	gEscape = m
	gEscape = nil
	return uintptr(*(*unsafe.Pointer)(unsafe.Pointer(&m)))
}

func asMap(addr uintptr, m interface{}) {
	// m is a pointer to a map variable; store the header into it.
	*(*uintptr)((*[2]unsafe.Pointer)(unsafe.Pointer(&m))[1]) = addr
}

func main() {
	t := NewTruth("clean")
	exe := t.Exe

	gStrInt = map[string]int{"alpha": 1, "beta": 2, "gamma": 3}
	gIntStr = make(map[int]string)
	for i := 0; i < 40; i++ {
		gIntStr[i*7] = "v" + strconv.Itoa(i)
	}
	gBoolStr = map[bool]string{true: "yes", false: "no"}
	ns := nodes(12)
	gPtrPtr = make(map[*Node]*Node)
	for _, n := range ns {
		gPtrPtr[n] = n.Next
	}
	gStructKey = map[Point]string{{1, 2}: "a", {3, 4}: "b", {-5, 6}: "c"}
	gStructVal = map[string]Point{"origin": {0, 0}, "unit": {1, 1}}
	gBigKey = make(map[BigKey]int)
	for i := 0; i < 10; i++ {
		var k BigKey
		copy(k.Tag[:], "bigkey-"+strconv.Itoa(i))
		k.Seq = int64(i)
		gBigKey[k] = i * 100
	}
	gBigVal = make(map[int]Big)
	for i := 0; i < 10; i++ {
		gBigVal[i] = Big{Name: "big-" + strconv.Itoa(i)}
	}
	gNested = map[string]map[int]string{
		"a": {1: "one", 2: "two"},
		"b": {10: "ten"},
	}
	gEmpty = make(map[string]int)
	gLarge = make(map[int64]string)
	for i := int64(0); i < 5000; i++ {
		gLarge[i*3+1] = "L" + strconv.FormatInt(i, 10)
	}
	if mapImpl == "classic" && (NOverflow(gLarge) == 0 || Growing(gLarge)) {
		panic("gLarge: want overflow buckets and no growth in progress")
	}
	if mapImpl == "swiss" && NTables(gLarge) < 4 {
		panic("gLarge: want several tables")
	}
	gSmall = map[string]int{"s1": 1, "s2": 2, "s3": 3, "s4": 4, "s5": 5}
	gHolder = Holder{Label: "holder", M: map[string]int{"f1": 10, "f2": 20}}
	gSlice = make([]map[int]int, 4)
	for i := range gSlice {
		gSlice[i] = map[int]int{i: i * i, i + 100: i}
	}
	gArray[1] = map[string]string{"k": "array-one"}
	pm := map[string]int{"via": 1, "pointer": 2}
	gMapPtr = &pm

	// Some garbage and a collection, so the heap has been through a GC cycle.
	for i := 0; i < 200; i++ {
		gGarbage = append(gGarbage, make([]byte, 1024+i))
	}
	gGarbage = nil
	runtime.GC()
	debug.SetGCPercent(-1)

	// Caught mid-growth (classic): insert one key at a time and stop right
	// after a growth starts and leaves old buckets behind.
	gGrowing = make(map[int]int)
	for i := 0; ; i++ {
		gGrowing[i] = i * i
		if i >= 200 && (mapImpl == "swiss" || Growing(gGrowing)) {
			break
		}
		if i > 100000 {
			panic("gGrowing never caught mid-growth")
		}
	}

	gHiddenAddr = makeHidden()
	ready := make(chan uintptr)
	go stackOnly(ready)
	gStackAddr = <-ready

	t.Add("main.gStrInt", exe, "main", "global", gStrInt, "alpha", "beta", "gamma")
	t.Add("main.gIntStr", exe, "main", "global", gIntStr, 0, 7, 14, 21, 273)
	t.Add("main.gBoolStr", exe, "main", "global", gBoolStr, true, false)
	t.Add("main.gPtrPtr", exe, "main", "global", gPtrPtr)
	t.Add("main.gStructKey", exe, "main", "global", gStructKey)
	t.Add("main.gStructVal", exe, "main", "global", gStructVal)
	t.Add("main.gBigKey", exe, "main", "global", gBigKey)
	t.Add("main.gBigVal", exe, "main", "global", gBigVal)
	t.Add("main.gNested", exe, "main", "global", gNested)
	t.Add(`main.gNested["a"]`, exe, "main", "map-value", gNested["a"], 1, 2)
	t.Add(`main.gNested["b"]`, exe, "main", "map-value", gNested["b"], 10)
	t.Add("main.gEmpty", exe, "main", "global", gEmpty)
	t.Add("main.gNil", exe, "main", "global", gNil)
	t.Add("main.gLarge", exe, "main", "global", gLarge, int64(1), int64(4), int64(14998))
	t.Add("main.gGrowing", exe, "main", "global", gGrowing, 0, 1, 2, 200)
	t.Add("main.gSmall", exe, "main", "global", gSmall, "s1", "s2", "s3", "s4", "s5")
	t.Add("main.gHolder.M", exe, "main", "field", gHolder.M, "f1", "f2")
	for i := range gSlice {
		t.Add("main.gSlice["+strconv.Itoa(i)+"]", exe, "main", "slice", gSlice[i], i, i+100)
	}
	t.Add("main.gArray[1]", exe, "main", "array", gArray[1], "k")
	t.Add("*main.gMapPtr", exe, "main", "pointer", *gMapPtr, "via", "pointer")

	var hidden map[string]string
	asMap(gHiddenAddr, &hidden)
	t.Add("(heap) hidden", exe, "main", "heap", hidden, "hidden-a", "hidden-b", "hidden-c")
	var onStack map[string]int
	asMap(gStackAddr, &onStack)
	t.Add("(stack) stackOnly", exe, "main", "stack", onStack, "stack-0", "stack-5")
	hidden, onStack = nil, nil

	t.Write()
	Finish()
}
