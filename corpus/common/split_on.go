//go:build goexperiment.mapsplitgroup

package main

// Built with GOEXPERIMENT=mapsplitgroup: a group is ctrl, keys, elems.
const splitGroup = true
