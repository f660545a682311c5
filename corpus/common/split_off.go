//go:build !goexperiment.mapsplitgroup

package main

// A group is ctrl, then slots of {key, elem}.
const splitGroup = false
