//go:build go1.24 && !go1.26

package main

const hmapExtraOff = 48 // hmap with clearSeq (56 bytes), GOEXPERIMENT=noswissmap
