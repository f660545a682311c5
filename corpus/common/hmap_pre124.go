//go:build !go1.24

package main

const hmapExtraOff = 40 // runtime.hmap is 48 bytes in Go 1.19-1.23
